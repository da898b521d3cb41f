"""Cover thumbnails from untrusted embedded pictures."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from unit.media.audio_samples import cover_png

from station_desktop.media.covers import THUMBNAIL_PX, is_cover_path, make_thumbnail
from station_desktop.media.hashing import sha256_bytes


def test_a_large_picture_becomes_a_small_jpeg_named_by_its_hash() -> None:
    picture = cover_png((1200, 800))
    thumbnail = make_thumbnail(picture)
    assert thumbnail is not None
    assert thumbnail.relative_path == f"covers/{sha256_bytes(picture)}.jpg"
    assert is_cover_path(thumbnail.relative_path)
    with Image.open(io.BytesIO(thumbnail.data)) as image:
        assert image.format == "JPEG"
        assert image.size == (THUMBNAIL_PX, 200)  # aspect ratio kept
    assert len(thumbnail.data) < len(picture)


def test_transparency_is_kept_as_png() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 128)).save(out, "PNG")
    thumbnail = make_thumbnail(out.getvalue())
    assert thumbnail is not None and thumbnail.relative_path.endswith(".png")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels: a decompression bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_garbage_truncated_and_bomb_pictures_give_no_cover() -> None:
    assert make_thumbnail(b"not a picture at all") is None
    assert make_thumbnail(cover_png()[:60]) is None  # cut off
    assert make_thumbnail(_png_header_only(100_000, 100_000)) is None  # never decoded
    assert make_thumbnail(b"") is None


def test_only_cover_paths_the_importer_makes_are_followed() -> None:
    assert is_cover_path("covers/" + "a" * 64 + ".jpg")
    for bad in ("../etc/passwd", "covers/../../x.jpg", "covers/" + "a" * 64 + ".gif",
                "/covers/" + "a" * 64 + ".jpg", "covers/abc.jpg"):
        assert not is_cover_path(bad)
