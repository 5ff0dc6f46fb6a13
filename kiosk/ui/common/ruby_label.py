"""A label that draws furigana (ruby) above its kanji and wraps its lines to the width it gets.

Qt's rich text has no ``<ruby>``, so the label lays its text out itself: the text is cut into
units that may not be split (a word of a spaced script, one kana or kanji, a whole ruby group
with its reading, punctuation glued to what it follows), units are placed on lines greedily, and
every line keeps room for the small reading above. The label answers height-for-width like a
word-wrapped ``QLabel``, so layouts give it the height its lines need and nothing is clipped;
``text()`` is the plain text (markup removed), as the pilot and the checks read it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

from kiosk.ruby import RubySpan, parse_ruby, strip_ruby
from kiosk.ui.common.leaded_label import QWIDGETSIZE_MAX, SelfWrappedLabel, line_pitch
from kiosk.ui.common.touch_button import _BREAK_AFTER, _NO_LINE_START, _script

__all__ = ["RUBY_SIZE", "RubyLabel", "RubyText", "ruby_units"]

RUBY_SIZE = 0.5    # the reading's size relative to the base text, as in print


@dataclass(frozen=True)
class _Piece:
    base: str
    reading: str = ""


Unit = tuple[_Piece, ...]
"""What is never split across lines: a word, a character, or a ruby group (with glued marks)."""


_NO_LINE_END = frozenset("（「『【〔〈《(")   # 禁則: these never end a line


def ruby_units(spans: list[RubySpan]) -> list[Unit]:
    """Cut ``spans`` into units; ``"\\n"`` units force a line break, ``" "`` units may be dropped
    at a line's end."""
    units: list[list[_Piece]] = []
    for span in spans:
        if span.reading:
            units.append([_Piece(span.base, span.reading)])
            continue
        word = ""
        for char in span.base:
            if char.isspace() or ord(char) >= 0x2E80:     # a space or a CJK character
                _flush(units, word)
                word = ""
                if char in _NO_LINE_START and units and not _is_break(units[-1]):
                    units[-1].append(_Piece(char))    # 禁則: never at the start of a line
                else:
                    units.append([_Piece("\n" if char == "\n" else
                                         " " if char.isspace() else char)])
            else:
                word += char
        _flush(units, word)
    return [tuple(unit) for unit in _glue_openings(units)]


def _glue_openings(units: list[list[_Piece]]) -> list[list[_Piece]]:
    """An opening bracket goes to the next line with what it opens."""
    glued: list[list[_Piece]] = []
    for unit in units:
        if glued and glued[-1][-1].base in _NO_LINE_END and not _is_break(unit):
            glued[-1] += unit
        else:
            glued.append(list(unit))
    return glued


def _flush(units: list[list[_Piece]], word: str) -> None:
    if not word:
        return
    if word[0] in _NO_LINE_START and units and not _is_break(units[-1]):
        units[-1].append(_Piece(word))
    else:
        units.append([_Piece(word)])


def _is_break(unit: list[_Piece] | Unit) -> bool:
    return len(unit) == 1 and unit[0].base in (" ", "\n")


class _Fonts:
    """The base and the reading font of a label, and the widths they give."""

    def __init__(self, font: QFont) -> None:
        small = QFont(font)
        if font.pointSizeF() > 0:
            small.setPointSizeF(font.pointSizeF() * RUBY_SIZE)
        else:
            small.setPixelSize(max(1, round(font.pixelSize() * RUBY_SIZE)))
        self.base = QFontMetrics(font)
        self.small = QFontMetrics(small)
        self.small_font = small
        # The UD fonts set their lines solid (line spacing = 1 em): stacked accents (Tiếng
        # Việt: "chỉ" under "địa") touched the line above. A line is at least the design's
        # label pitch; a line with readings already has their room above it.
        self.pitch = max(self.base.lineSpacing(), line_pitch(font))

    def piece_width(self, piece: _Piece) -> int:
        return max(self.base.horizontalAdvance(piece.base),
                   self.small.horizontalAdvance(piece.reading) if piece.reading else 0)

    def unit_width(self, unit: Unit) -> int:
        return sum(self.piece_width(piece) for piece in unit)


def _lines(units: list[Unit], widths: list[int], width: int) -> list[list[int]]:
    """The indices of the units on each line at ``width`` pixels."""
    lines: list[list[int]] = [[]]
    used = 0
    for index, unit in enumerate(units):
        if unit[0].base == "\n":
            lines.append([])
            used = 0
            continue
        if _is_break(unit) and not lines[-1]:
            continue                          # no space at the start of a line
        needed = widths[index]
        if lines[-1] and used + needed > width and not _is_break(unit):
            carried = _carried(units, lines[-1], index, widths, width)
            lines.append(carried)
            used = sum(widths[i] for i in carried)
        lines[-1].append(index)
        used += needed
    for line in lines:
        while line and _is_break(units[line[-1]]):
            line.pop()
    _no_lone_character(units, lines, widths, width)
    return lines


_POLITE = frozenset("おご")       # the honorific prefix: お持ち, ご用件
# How many characters a line may give up to end at a phrase boundary instead of mid-word.
_PHRASE_REACH = 4


def _carried(units: list[Unit], line: list[int], index: int, widths: list[int],
             width: int) -> list[int]:
    """The units at the end of a full ``line`` that go to the next line with ``index``: those
    after the line's last phrase boundary when it is within reach (本日のご用件をお選びください。|
    複数, 暗証番号の|初期化), else none. Only between characters of an unspaced script."""
    if not _cjk(units[index]):
        return []
    following = [*line, index]
    for back in range(1, min(_PHRASE_REACH, len(line) - 1) + 1):
        before, after = units[line[-back - 1]], units[line[-back]]
        if not (_cjk(before) and _cjk(after)):
            break
        if _phrase_boundary(before, after, units[following[-back]]):
            moved = line[-back:]
            if sum(widths[i] for i in moved) + widths[index] > width:
                return []
            del line[-back:]
            return moved
    return _after_last_space(units, line, index, widths, width)


def _after_last_space(units: list[Unit], line: list[int], index: int, widths: list[int],
                      width: int) -> list[int]:
    """The run of kana and kanji after the line's last space, when it goes whole onto the
    next line with ``index`` (マイナンバーカード|券面記載事項変更届, not …券面記載事項変|更届)."""
    for back in range(1, len(line)):
        if _is_break(units[line[-back - 1]]):
            moved = line[-back:]
            if not all(_cjk(units[i]) for i in moved) or \
                    sum(widths[i] for i in moved) + widths[index] > width:
                return []
            del line[-back:]
            return moved
    return []


def _no_lone_character(units: list[Unit], lines: list[list[int]], widths: list[int],
                       width: int) -> None:
    """A paragraph never ends with one kanji or kana alone on its line (券面記載事項変更 / 届):
    the character before it goes along."""
    for first, second in itertools.pairwise(lines):
        if len(second) == 1 and len(first) > 2 and second[0] == first[-1] + 1 and \
                _cjk(units[second[0]]) and _cjk(units[first[-1]]) and \
                widths[first[-1]] + widths[second[0]] <= width and \
                (second is lines[-1] or units[second[0] + 1][0].base == "\n"):
            second.insert(0, first.pop())


def _cjk(unit: Unit) -> bool:
    """A unit of one kanji or kana (with any glued punctuation), not a word or a ruby group."""
    return not unit[0].reading and len(unit[0].base) == 1 and bool(_script(unit[0].base))


def _phrase_boundary(before: Unit, after: Unit, then: Unit) -> bool:
    """Where a Japanese line may well end between ``before`` and ``after`` (``then`` follows):
    after punctuation, or where kana end and a word in kanji or katakana begins; the polite
    お/ご goes with its word (カードを|お持ちですか, not カードをお|持ち)."""
    last, first, next_ = before[-1].base[-1], after[0].base[0], then[0].base[0]
    if last in _BREAK_AFTER:
        return True
    if last in _POLITE:
        return False
    if first in _POLITE and _script(last) == "H":
        return _script(next_) in ("C", "K")
    return (_script(last), _script(first)) in (("H", "C"), ("H", "K"), ("K", "C"))


class _Measured:
    """A text's units measured in one font, and its line breaks by width (both cached: the
    layout asks for the same heights many times while a screen is built)."""

    def __init__(self, units: list[Unit], fonts: _Fonts) -> None:
        self.units = units
        self.fonts = fonts
        self.widths = [fonts.unit_width(unit) for unit in units]
        self._lines: dict[int, list[list[int]]] = {}

    def lines(self, width: int) -> list[list[int]]:
        width = max(1, width)
        found = self._lines.get(width)
        if found is None:
            found = self._lines[width] = _lines(self.units, self.widths, width)
        return found

    def line_width(self, line: list[int]) -> int:
        return sum(self.widths[index] for index in line)


class RubyText:
    """Furigana-marked text laid out for a font: line breaking, sizes and painting, shared by
    :class:`RubyLabel` and the picture buttons."""

    def __init__(self, text: str) -> None:
        self.spans = parse_ruby(text)
        self.units = ruby_units(self.spans)
        self.has_readings = any(span.reading for span in self.spans)
        self._measured: dict[str, _Measured] = {}

    def _measure(self, font: QFont) -> _Measured:
        key = font.key()
        measured = self._measured.get(key)
        if measured is None:
            measured = self._measured[key] = _Measured(self.units, _Fonts(font))
        return measured

    def line_height(self, font: QFont) -> int:
        """One line with the room for its readings above, at least the design's pitch."""
        fonts = self._measure(font).fonts
        return max(self._ruby_room(fonts) + fonts.base.lineSpacing(), fonts.pitch)

    def _ruby_room(self, fonts: _Fonts) -> int:
        return fonts.small.height() if self.has_readings else 0

    def height_for_width(self, font: QFont, width: int) -> int:
        """The height of the lines at ``width`` pixels."""
        return len(self._measure(font).lines(width)) * self.line_height(font)

    def natural_width(self, font: QFont) -> int:
        """The width of the text on one line (explicit line breaks aside)."""
        return sum(self._measure(font).widths)

    def widest_unit(self, font: QFont) -> int:
        """The narrowest the text can be laid out without cutting a unit."""
        return max(self._measure(font).widths, default=0)

    def line_widths(self, font: QFont, width: int) -> list[int]:
        """The drawn width of each line at ``width`` (readings wider than their base count)."""
        measured = self._measure(font)
        return [measured.line_width(line) for line in measured.lines(width)]

    def plain_lines(self, font: QFont, width: int) -> list[str]:
        """The base text of each line at ``width`` (what the clipping checks measure)."""
        measured = self._measure(font)
        return ["".join(piece.base for index in line for piece in self.units[index])
                for line in measured.lines(width)]

    def paint(self, painter: QPainter, font: QFont, area: QRect, colour: QColor,
              alignment: Qt.AlignmentFlag) -> None:
        """Draw the lines from the top of ``area``, each aligned as ``alignment`` says."""
        measured = self._measure(font)
        fonts = measured.fonts
        line_height = self.line_height(font)
        ruby_height = self._ruby_room(fonts)
        # The pitch's extra room is shared above and below the line (CSS's half-leading).
        half_leading = (line_height - ruby_height - fonts.base.lineSpacing()) // 2
        painter.setPen(colour)
        for number, line in enumerate(measured.lines(area.width())):
            x = _line_start(area, measured.line_width(line), alignment)
            y = area.top() + number * line_height + half_leading
            # Runs without readings are drawn in one call: a screen of picture buttons
            # would otherwise draw character by character.
            plain = ""
            for index in line:
                for piece in self.units[index]:
                    if not piece.reading:
                        plain += piece.base
                        continue
                    if plain:
                        x += _draw_piece(painter, font, fonts, _Piece(plain),
                                         QRect(x, y, 0, ruby_height))
                        plain = ""
                    x += _draw_piece(painter, font, fonts, piece, QRect(x, y, 0, ruby_height))
            if plain:
                _draw_piece(painter, font, fonts, _Piece(plain), QRect(x, y, 0, ruby_height))


def _line_start(area: QRect, line_width: int, alignment: Qt.AlignmentFlag) -> int:
    if alignment & Qt.AlignmentFlag.AlignHCenter:
        return area.left() + max(0, (area.width() - line_width) // 2)
    if alignment & Qt.AlignmentFlag.AlignRight:
        return area.left() + max(0, area.width() - line_width)
    return area.left()


def _draw_piece(painter: QPainter, font: QFont, fonts: _Fonts, piece: _Piece, slot: QRect) -> int:
    """Draw ``piece`` with its left edge at ``slot.x()`` below ``slot`` (the reading's room)
    and its reading centred in that room; return its width."""
    width = fonts.piece_width(piece)
    base_x = slot.x() + (width - fonts.base.horizontalAdvance(piece.base)) / 2
    painter.setFont(font)
    painter.drawText(QPointF(base_x, slot.y() + slot.height() + fonts.base.ascent()), piece.base)
    if piece.reading:
        ruby_x = slot.x() + (width - fonts.small.horizontalAdvance(piece.reading)) / 2
        painter.setFont(fonts.small_font)
        painter.drawText(QPointF(ruby_x, slot.y() + fonts.small.ascent()), piece.reading)
    return width


class RubyLabel(SelfWrappedLabel):
    """A word-wrapped label whose ``{漢字|かんじ}`` groups show the reading above the kanji."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ruby = RubyText("")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Show ``text``; its furigana markup becomes readings above the base characters."""
        self._ruby = RubyText(text)
        super().setText(strip_ruby(text))
        self.updateGeometry()
        self.update()

    def readings(self) -> list[tuple[str, str]]:
        """The ``(base, reading)`` pairs drawn with a reading."""
        return [(span.base, span.reading) for span in self._ruby.spans if span.reading]

    def lines_height(self, width: int) -> int:
        """The height the wrapped lines with their readings need in ``width`` pixels."""
        return self._ruby.height_for_width(self.font(), width)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """One line when there is room."""
        left, _top, right, _bottom = self._extra()
        width = self._ruby.natural_width(self.font()) + left + right
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Never narrower than the widest unit: it wraps, it does not clip. As high as one
        line, as :class:`~kiosk.ui.common.leaded_label.LeadedLabel`: a layout asks
        heightForWidth for the real height, and the height at the widest unit's width (a
        character a line in Japanese) made every page scroll far past its end."""
        left, _top, right, _bottom = self._extra()
        width = self._ruby.widest_unit(self.font()) + left + right
        return QSize(width, self.heightForWidth(QWIDGETSIZE_MAX))

    def line_layout(self) -> tuple[int, int]:
        """How many lines the text takes now, and the distance between them."""
        left, _top, right, _bottom = self._extra()
        lines = self._ruby.plain_lines(self.font(), max(1, self.width() - left - right))
        return len(lines), self._ruby.line_height(self.font())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        """The frame (style sheet border), then each line with its readings above."""
        QFrame.paintEvent(self, event)
        left, top, right, _bottom = self._extra()
        painter = QPainter(self)
        self._ruby.paint(painter, self.font(), self.rect().adjusted(left, top, -right, 0),
                         self.palette().color(self.foregroundRole()),
                         self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask)
        painter.end()
