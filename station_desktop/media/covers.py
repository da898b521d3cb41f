"""Cover art as a small thumbnail: what the library shows next to a track.

The picture embedded in a file is untrusted (any size, any format, possibly broken or a
decompression bomb), so it is decoded with a pixel limit, scaled down to at most
:data:`THUMBNAIL_PX` on its longer side and re-encoded as a JPEG (PNG when it has
transparency). The thumbnail's name is the SHA-256 of the original picture, so the twelve
tracks of an album share one file: ``covers/<hash>.jpg`` in the station's storage.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from station_desktop.media.hashing import sha256_bytes

log = logging.getLogger("station_desktop.media.covers")

THUMBNAIL_PX = 300
MAX_PIXELS = 40_000_000  # a 6,300 x 6,300 picture; larger is refused before decoding
JPEG_QUALITY = 85
COVER_DIR = "covers"
_COVER_PATH = re.compile(r"covers/[0-9a-f]{64}\.(?:jpg|png)")


@dataclass(frozen=True, slots=True)
class Thumbnail:
    data: bytes
    relative_path: str  # "covers/<sha256 of the original>.jpg", relative to the station

    def __repr__(self) -> str:
        return f"<Thumbnail {self.relative_path} {len(self.data)} bytes>"


def is_cover_path(value: str) -> bool:
    """Whether ``value`` is a cover path this module makes (and nothing else: it is used
    to read files, so a stored ``coverUrl`` of another shape is never followed)."""
    return bool(_COVER_PATH.fullmatch(value))


def make_thumbnail(picture: bytes) -> Thumbnail | None:
    """The thumbnail of an embedded picture, or None if it is not a picture Pillow can
    read safely (blocking: call from a worker thread)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(picture)) as image:
                width, height = image.size
                if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                    log.info("cover of %dx%d pixels ignored", width, height)
                    return None
                image.draft("RGB", (THUMBNAIL_PX, THUMBNAIL_PX))  # JPEG: decode smaller
                image.load()
                transparent = image.mode in ("RGBA", "LA", "PA") or (
                    image.mode == "P" and "transparency" in image.info)
                converted = image.convert("RGBA" if transparent else "RGB")
                converted.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX), Image.Resampling.LANCZOS)
                out = io.BytesIO()
                if transparent:
                    converted.save(out, "PNG", optimize=True)
                    extension = "png"
                else:
                    converted.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
                    extension = "jpg"
    except UnidentifiedImageError:
        log.info("cover not usable: not a picture Pillow knows")
        return None
    except Exception as exc:  # Pillow raises many kinds on damaged input; a cover is optional
        log.info("cover not usable: %s: %s", type(exc).__name__, exc)
        return None
    return Thumbnail(out.getvalue(), f"{COVER_DIR}/{sha256_bytes(picture)}.{extension}")
