"""The Library page: a station's tracks (lazy, sorted and filtered in SQL), import by drag
and drop or file dialog, the metadata editor and deletion."""
