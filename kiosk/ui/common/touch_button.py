"""A button sized for a finger that wraps its label instead of clipping it.

At 200 % text, or in a language with long words, a row of two buttons cannot show each label
on one line. ``QPushButton`` never wraps, so the button breaks its own label into lines to fit
the width the layout gives it and asks for the height those lines need (height-for-width),
the way a word-wrapped ``QLabel`` does. ``text()`` still returns the label as written.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QEvent, QRect, QSize
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QStylePainter, QWidget

from kiosk.ui.common.leaded_label import line_pitch

__all__ = ["ICON_GAP", "TouchButton", "drawn_height", "wrap_label"]

# Room taken by the style sheet's border and padding (2 px border, 16 px padding a side).
_PAD_X = 40
_PAD_Y = 20
ICON_GAP = 8        # room kept between an icon and the label
# A word with its trailing spaces; a hyphenated word may also break after a hyphen between
# letters (Tagalog's "Makipag-/usap"), never inside a code such as A-001.
_WORD = re.compile(r"[^\W\d_]+-(?=[^\W\d_])|\S+?(?:\s+|$)")
# Qt::AlignCenter as the int QFontMetrics takes: laying out a label needs no Qt namespace,
# whose enums cost the tablet's first screen milliseconds (kiosk.ui.citizen.frame).
_ALIGN_CENTER = 0x0084
# Japanese line-breaking rule (禁則): these never begin a line.
_NO_LINE_START = frozenset("、。，．）」』】〕〉》・ー！？：；,.)!?:;ゃゅょっャュョッぁぃぅぇぉァィゥェォ")
# A line may well end after these (a phrase boundary).
_BREAK_AFTER = frozenset("、。，．）」』】〕〉》・！？：；")


def wrap_label(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels.

    Words (Latin, Vietnamese, Devanagari) move whole to the next line; a run without spaces
    (Japanese, Chinese) or a single word longer than a line breaks between characters, at a
    phrase boundary when one is near (ふりがな：/あり, not ふりがな：あ/り).
    """
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in _WORD.findall(paragraph) or [paragraph]:
            if metrics.horizontalAdvance((current + word).rstrip()) <= width:
                current += word
                continue
            if current:
                lines.append(current.rstrip())
                current = ""
            for unit in _units(word):
                if current and unit not in _NO_LINE_START and \
                        metrics.horizontalAdvance((current + unit).rstrip()) > width:
                    cut = _phrase_cut(current, metrics, width)
                    lines.append(current[:cut].rstrip())
                    current = current[cut:]
                current += unit
        lines.append(current.rstrip())
        _no_lone_character(lines)
    return lines


def _no_lone_character(lines: list[str]) -> None:
    """A paragraph's last line of one kanji or kana (券面記載事項変更 / 届) takes the character
    before it along, when that one ended a run broken between characters: a word is not
    left with one letter on a line of its own."""
    if len(lines) < 2:
        return
    last, before = _units(lines[-1]), _units(lines[-2])
    if len(last) == 1 and _script(last[0][0]) and len(before) > 2 and _script(before[-1][0]) \
            and before[-1] not in _NO_LINE_START and last[0] not in _NO_LINE_START:
        lines[-2:] = ["".join(before[:-1]), before[-1] + last[0]]


def _script(char: str) -> str:
    """'H' hiragana, 'K' katakana, 'C' kanji, '' anything else."""
    code = ord(char)
    if 0x3041 <= code <= 0x309F:
        return "H"
    if 0x30A0 <= code <= 0x30FF:
        return "K"
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or code >= 0x20000:
        return "C"
    return ""


def _phrase_cut(line: str, metrics: QFontMetrics, width: int) -> int:
    """Where to end a too-long Japanese ``line``: the last phrase boundary that keeps at least
    two fifths of the width on it, else the whole line (a break between characters).

    A phrase boundary is after punctuation, or where kana particles end and a word in kanji
    or katakana begins (やさしい|日本語, 職員と|話す); never before a character that must not
    start a line.
    """
    for cut in range(len(line) - 1, 0, -1):
        before, after = line[cut - 1], line[cut]
        if after in _NO_LINE_START or _script(after) == "":
            continue
        boundary = before in _BREAK_AFTER or \
            (_script(before), _script(after)) in (("H", "C"), ("H", "K"), ("K", "C"))
        if boundary:
            return cut if metrics.horizontalAdvance(line[:cut]) * 5 >= width * 2 else len(line)
    return len(line)


def _units(word: str) -> list[str]:
    """Characters with their combining marks (Thai vowels, Devanagari signs, IVS) attached."""
    units: list[str] = []
    for char in word:
        if units and (unicodedata.category(char).startswith("M") or
                      0xFE00 <= ord(char) <= 0xFE0F or 0xE0100 <= ord(char) <= 0xE01EF):
            units[-1] += char
        else:
            units.append(char)
    return units


def drawn_height(font: QFont, lines: list[str], width: int) -> int:
    """The height of ``lines`` as the button draws them, centred in ``width`` pixels.

    A line drawn with a fallback font is taller than the UI font's line spacing: stacked
    Vietnamese marks (Tiếng Việt) and Devanagari (नेपाली) come from fonts with a higher
    ascent, and a height counted in line spacings cuts their tops off. Two or more lines
    are set at least the design's pitch apart (the UI font's own spacing is solid, 1 em).
    """
    metrics = QFontMetrics(font)
    area = QRect(0, 0, max(1, width), 1 << 20)
    drawn = metrics.boundingRect(area, _ALIGN_CENTER, "\n".join(lines))
    pitch = line_pitch(font) if len(lines) > 1 else 0
    return max(drawn.height(), len(lines) * max(metrics.lineSpacing(), pitch))


def _unit_width(word: str, metrics: QFontMetrics) -> int:
    """The narrowest a word can be drawn: whole for spaced scripts, three characters for CJK."""
    if any(ord(char) >= 0x3000 for char in word):
        return metrics.horizontalAdvance(word[:3])
    return metrics.horizontalAdvance(word)


class TouchButton(QPushButton):
    """A :class:`QPushButton` at least ``target`` pixels on each side, its label wrapped to fit."""

    def __init__(self, text: str = "", *, target: int, name: str = "",
                 role: str = "", parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self._label = ""
        self._target = target
        # (font, width) -> (lines, height): a layout asks for the same widths many times.
        self._wrapped: dict[tuple[str, int], tuple[list[str], int]] = {}
        self._key: str | None = None
        self._icon_after = False
        # No setMinimumSize: an explicit minimum would override minimumSizeHint, which knows
        # the label's widest word; the hint never goes below the finger target either.
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        if name:
            self.setObjectName(name)
        if role:
            self.setProperty("role", role)
        self.setText(text)

    def text(self) -> str:
        """The label as written (without the line breaks added to fit)."""
        return self._label

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Set the label; it is wrapped to the button's current width (a hidden button's when
        it is shown)."""
        self._label = text
        self._wrapped.clear()
        # A button not on screen yet has neither its style sheet's font nor its layout's
        # width: wrapping for the defaults loaded fonts no one sees (the start-up Welcome's
        # fourteen buttons spent milliseconds of its first screen so). showEvent wraps it.
        if self.isVisible():
            self._rewrap(self.width())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        """Wrap the label for the width and font the button is shown with."""
        super().showEvent(event)
        self._rewrap(self.width())

    def set_icon_after(self, after: bool) -> None:
        """Draw the icon right of the label (a chevron after "Next") instead of left of it."""
        if after != self._icon_after:
            self._icon_after = after
            self.update()

    def displayed_lines(self) -> list[str]:
        """The label's lines as drawn now."""
        return QPushButton.text(self).splitlines()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """One line when there is room: the label's natural width."""
        width = self.one_line_width()
        return QSize(width, self.heightForWidth(width))

    def one_line_width(self, *, icon_room: int | None = None) -> int:
        """The button's width with its label on one line (each written line on its own),
        beside an icon taking ``icon_room`` (default: the button's own icon's)."""
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(line) for line in self._label.splitlines()),
                     default=0)
        room = self._icon_room() if icon_room is None else icon_room
        return max(self._target, widest + _PAD_X + room)

    def icon_room(self) -> int:
        """The width the icon takes beside the label, with its gap (its size even while no
        icon is set: the room it would take)."""
        return self.iconSize().width() + ICON_GAP

    def _icon_room(self) -> int:
        return 0 if self.icon().isNull() else self.icon_room()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Narrow, but never narrower than a whole word (or three kana/kanji): wrap, not clip.
        As high as one line: a layout asks heightForWidth for the real height, and the
        height at the narrowest width held a scrolled page up to a word a line (the
        procedure choice scrolled some 20,000 px into blank space)."""
        metrics = self.fontMetrics()
        widest = max((_unit_width(word.strip(), metrics) for word in _WORD.findall(self._label)),
                     default=0)
        width = max(self._target, widest + _PAD_X + self._icon_room())
        return QSize(width, self.sizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        """The height depends on the width (more lines when narrower)."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        """The height the wrapped label needs at ``width``."""
        return max(self._target, self._wrap(width)[1] + _PAD_Y)

    def _font_key(self) -> str:
        # QFont.key() costs microseconds and a layout asks for heights a thousand times per
        # screen: the key is kept until the font changes (style sheet, text size).
        if self._key is None:
            self._key = self.font().key()
        return self._key

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        """Forget the font's key when the font or the style changes."""
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._key = None
        super().changeEvent(event)

    def lines_for(self, text: str, width: int, *, icon_room: int | None = None) -> int:
        """How many lines ``text`` would take on this button at ``width`` pixels, beside an
        icon taking ``icon_room`` (default: the button's own icon's)."""
        room = self._icon_room() if icon_room is None else icon_room
        return len(wrap_label(text, self.fontMetrics(), max(1, width - _PAD_X - room)))

    def _wrap(self, width: int) -> tuple[list[str], int]:
        """The label's lines at button width ``width`` and their drawn height."""
        key = (self._font_key(), width)
        found = self._wrapped.get(key)
        if found is None:
            metrics = self.fontMetrics()
            # An icon left of the label takes its width (and a gap) from the label's room.
            room = width - _PAD_X - self._icon_room()
            lines = wrap_label(self._label, metrics, max(1, room))
            found = self._wrapped[key] = (lines, drawn_height(self.font(), lines, room))
        return found

    def line_layout(self) -> tuple[int, int]:
        """How many lines the label takes now, and the distance between them."""
        lines = self.displayed_lines()
        if len(lines) < 2:
            return len(lines), self.fontMetrics().lineSpacing()
        return len(lines), drawn_height(self.font(), lines, self.contentsRect().width()) \
            // len(lines)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """QPushButton's drawing; a label of several lines is drawn a line at a time at the
        design's pitch (QPushButton would set them solid, touching), after its icon or before
        it (:meth:`set_icon_after`)."""
        lines = self.displayed_lines()
        icon = self.icon()      # not option.icon: PySide hands out the option's own member
        if len(lines) < 2 and not (self._icon_after and not icon.isNull()):
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text, option.icon = "", QIcon()
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        # Each line centred in its own band: the band's extra room is the half-leading.
        height = drawn_height(self.font(), lines, self.contentsRect().width())
        pitch = height // len(lines)
        top = (self.height() - pitch * len(lines)) // 2
        left, width = 0, self.width()
        if not icon.isNull():
            # The icon beside the lines, the two centred together as QPushButton does.
            side = self.iconSize()
            width = max(self.fontMetrics().horizontalAdvance(line) for line in lines)
            left = max(0, (self.width() - self._icon_room() - width) // 2)
            icon_left = left + width + self._icon_room() - side.width() if self._icon_after \
                else left
            icon.paint(painter, QRect(icon_left, (self.height() - side.height()) // 2,
                                      side.width(), side.height()),
                       mode=QIcon.Mode.Normal if self.isEnabled() else QIcon.Mode.Disabled)
            if not self._icon_after:
                left += self._icon_room()
        for number, line in enumerate(lines):
            option.text = line
            option.rect = QRect(left, top + number * pitch, width, pitch)
            painter.drawControl(QStyle.ControlElement.CE_PushButtonLabel, option)
        painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Re-wrap for the new width."""
        super().resizeEvent(event)
        self._rewrap(event.size().width())

    def _rewrap(self, width: int) -> None:
        wrapped = "\n".join(self._wrap(width)[0])
        if wrapped != QPushButton.text(self):
            QPushButton.setText(self, wrapped)
            self.updateGeometry()
