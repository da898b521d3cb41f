"""A page body that scrolls instead of forcing the window to grow."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


def scrolling_body(content: QVBoxLayout) -> QVBoxLayout:
    """A layout inside a frameless scroll area added to ``content``: a page with a lot to
    show keeps the window's minimum size small (it scrolls when the window is small)."""
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    scroll = QScrollArea()
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    content.addWidget(scroll, 1)
    return layout
