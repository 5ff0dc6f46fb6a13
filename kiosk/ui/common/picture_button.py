"""A touch button with a pictogram left of its (wrapped) label, drawn in the theme's colours,
and with furigana above the label's kanji when its text carries them (``{漢字|かんじ}``).

The pictograms are SVG files drawing in ``currentColor`` (``kiosk/resources/pictures``); the
colour is put in when the icon is rendered: the button's text colour, and the checked
button's text colour for its checked state, so the picture follows the normal and the
high-contrast theme like the label does.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QPushButton, QStyle, QStyleOptionButton, QStylePainter, QWidget

from kiosk.ruby import strip_ruby
from kiosk.ui.common.ruby_label import RubyText
from kiosk.ui.common.theme import Theme
from kiosk.ui.common.touch_button import _PAD_X, _PAD_Y, TouchButton

__all__ = ["PictureButton", "picture_icon", "picture_pixmap"]

_GAP = 12           # between the picture and the label
_ICON_LINES = 2.6   # the picture is as tall as two or three lines of the label
_ICON_TARGETS = 2.5     # and at most this many finger targets


def picture_pixmap(path: Path, colour: str, side: int, ratio: float = 1.0,
                   gap: int = 0) -> QPixmap:
    """The SVG at ``path`` drawn ``side`` pixels square in ``colour``, with ``gap`` transparent
    pixels right of it (a null pixmap when the file cannot be read or drawn)."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return QPixmap()
    renderer = QSvgRenderer(QByteArray(source.replace("currentColor", colour).encode()))
    if not renderer.isValid():
        return QPixmap()
    pixels = max(1, round(side * ratio))
    pixmap = QPixmap(pixels + round(gap * ratio), pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@functools.lru_cache(maxsize=128)
def picture_icon(path: Path, theme: Theme, side: int, ratio: float = 1.0, *,
                 normal: str = "", gap: int = 0) -> QIcon:
    """An icon of the picture at ``path``: in ``normal`` (default ``surface_text``),
    ``selected_text`` when checked, ``disabled_text`` when disabled (as a disabled button's
    label), ``gap`` pixels wider than the picture (room before a label); a null icon when the
    picture cannot be drawn."""
    icon = QIcon()
    for colour, mode, state in (
            (normal or theme.surface_text, QIcon.Mode.Normal, QIcon.State.Off),
            (theme.selected_text, QIcon.Mode.Normal, QIcon.State.On),
            (theme.disabled_text, QIcon.Mode.Disabled, QIcon.State.Off)):
        pixmap = picture_pixmap(path, colour, side, ratio, gap)
        if pixmap.isNull():
            return QIcon()
        icon.addPixmap(pixmap, mode, state)
    return icon


class PictureButton(TouchButton):
    """A :class:`TouchButton` with the picture at ``picture`` left of its label, and the
    readings of a furigana-marked ``text`` above its kanji. The label wraps in the room the
    picture leaves; a picture that cannot be drawn leaves a text-only button. ``text()`` is the
    plain label."""

    def __init__(self, text: str = "", *, target: int, picture: Path | None, theme: Theme,
                 name: str = "", role: str = "", parent: QWidget | None = None) -> None:
        self._picture = picture
        self._theme = theme
        # Laid out and drawn here, not by QPushButton: the lines wrap beside the picture with
        # the line-breaking rules of RubyText (an opening bracket never ends a line, a closing
        # one never starts one, without running past the edge).
        self._ruby = RubyText(text)
        super().__init__(strip_ruby(text), target=target, name=name, role=role, parent=parent)

    def picture_side(self) -> int:
        """The picture's side in pixels: a few lines of the label (it grows with the text
        scale), never smaller than the finger target's half, nor larger than a few targets
        (at 200 % text a picture of 2.6 lines left a long word no room beside it, and the
        tiles of "Deregistering a moped" were wider than the tablet)."""
        lines = round(self.fontMetrics().height() * _ICON_LINES)
        return max(self._target // 2, min(lines, round(self._target * _ICON_TARGETS)))

    def has_picture(self) -> bool:
        """Whether the button shows a picture."""
        return not self.icon().isNull()

    def readings(self) -> list[tuple[str, str]]:
        """The ``(base, reading)`` pairs drawn above the label."""
        return [(span.base, span.reading) for span in self._ruby.spans if span.reading]

    def ensure_icon(self) -> None:
        """Render the picture for the button's current font (after the style sheet applied)."""
        side = self.picture_side()
        if self._picture is not None and (self.iconSize() != QSize(side, side) or
                                          self.icon().isNull()):
            icon = picture_icon(self._picture, self._theme, side, self.devicePixelRatioF())
            if icon.isNull():
                self._picture = None    # cannot be drawn: text only, and no retry per layout
                return
            self.setIcon(icon)
            self.setIconSize(QSize(side, side))

    def _room(self) -> int:
        return self.picture_side() + _GAP if self.has_picture() else 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """The label's natural width plus the picture."""
        self.ensurePolished()
        self.ensure_icon()
        width = max(self._target, self._ruby.natural_width(self.font()) + _PAD_X) + self._room()
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """The label's narrowest width plus the picture; as high as at its natural width
        (one line), as :class:`~kiosk.ui.common.touch_button.TouchButton`."""
        self.ensurePolished()
        self.ensure_icon()
        width = max(self._target, self._ruby.widest_unit(self.font()) + _PAD_X) + self._room()
        return QSize(width, self.sizeHint().height())

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        """The wrapped label's height beside the picture, at least the picture's height."""
        inner = width - self._room() - _PAD_X
        label = max(self._target, self._ruby.height_for_width(self.font(), inner) + _PAD_Y)
        return max(label, self.picture_side() + 16 if self.has_picture() else 0)

    def line_layout(self) -> tuple[int, int]:
        """How many lines the label takes now, and the distance between them."""
        return len(self.displayed_lines()), self._ruby.line_height(self.font())

    def label_width(self) -> int:
        """The room the label has now (the button's contents less the picture)."""
        return self.contentsRect().width() - self._room()

    def _rewrap(self, width: int) -> None:
        # The lines as painted, so that what the checks measure is what is drawn.
        lines = self._ruby.plain_lines(self.font(), max(1, width - self._room() - _PAD_X))
        wrapped = "\n".join(lines)
        if wrapped != QPushButton.text(self):
            QPushButton.setText(self, wrapped)
            self.updateGeometry()

    # ------------------------------------------------------------ painting (with readings)
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The style's button without its label, then the picture and the label with readings."""
        del event
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        option.icon = QIcon()
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        text_width = max(1, self.width() - self._room() - _PAD_X)
        block = max(self._ruby.line_widths(self.font(), text_width), default=0)
        height = self._ruby.height_for_width(self.font(), text_width)
        # Picture and label side by side, the pair centred, as QPushButton draws icon + text.
        left = (self.width() - block - self._room()) // 2
        if self.has_picture():
            side = self.picture_side()
            self.icon().paint(painter, QRect(left, (self.height() - side) // 2, side, side),
                              Qt.AlignmentFlag.AlignCenter, self._icon_mode(),
                              QIcon.State.On if self.isChecked() else QIcon.State.Off)
        area = QRect(left + self._room(), (self.height() - height) // 2, block, height)
        self._ruby.paint(painter, self.font(), area, self._text_colour(),
                         Qt.AlignmentFlag.AlignHCenter)
        painter.end()

    def _icon_mode(self) -> QIcon.Mode:
        return QIcon.Mode.Normal if self.isEnabled() else QIcon.Mode.Disabled

    def _text_colour(self) -> QColor:
        """The style sheet's label colour for the button's state (theme.stylesheet())."""
        if self.property("role") == "primary":
            return QColor(self._theme.accent_text)
        if self.isChecked():
            return QColor(self._theme.selected_text)
        return QColor(self._theme.surface_text)
