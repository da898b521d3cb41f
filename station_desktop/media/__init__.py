"""Importing audio, below the services and free of Qt and of the database.

- :mod:`~station_desktop.media.names`: which file names are refused, what a stored file is
  called, tag text clipped to the columns.
- :mod:`~station_desktop.media.probe`: validation, tags and technical data (mutagen first,
  ffprobe as the fallback, a full decode when the headers look wrong).
- :mod:`~station_desktop.media.transcode`: which formats are stored as they are and which
  are converted (and to what), with ffmpeg.
- :mod:`~station_desktop.media.covers`: cover art as a small JPEG thumbnail.
- :mod:`~station_desktop.media.hashing`: the content hash that finds duplicates.
- :mod:`~station_desktop.media.storage`: where files land (a local or mounted folder, or
  SFTP to the station's server), behind one interface.
"""
