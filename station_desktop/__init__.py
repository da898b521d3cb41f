"""Station Desktop: run internet-radio stations (Icecast + Liquidsoap) from the desktop."""

__version__ = "0.1.0"
