"""The waiting-room board's parts: the counter grid's tiles and what each counter serves now.

Sizes are the design tokens' board sizes at 1920 × 1080; :class:`Scaled` redraws them in
proportion to the window the board really has, so nothing is clipped in a smaller window.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QSizePolicy, QWidget

from kiosk.domain.ticket import Ticket, TicketState
from kiosk.ui.common.tokens import COLOURS

__all__ = ["BOARD_SIZE", "CounterNow", "FittingLabel", "Scaled", "counter_badge", "counters_now",
           "scaled_label"]

W = TypeVar("W", bound=QWidget)

BOARD_SIZE = (1920, 1080)   # the board's design size; a smaller window scales it down
_WITH_A_COUNTER = frozenset({TicketState.CALLED, TicketState.RECALLED, TicketState.SERVING})


@dataclass(frozen=True, slots=True)
class CounterNow:
    """One tile of the counter grid: the counter, what it serves, the ticket at it now."""

    name: str           # "3番窓口"
    department: str     # the name of the first service it calls ("市民課")
    ticket: str         # the label called or served there now, "" when none


def counter_badge(name: str) -> str:
    """The short name on a tile's badge: "3番窓口" -> "3番"; a named counter stays as it is."""
    digits = re.match(r"\d+", name)
    return f"{digits[0]}番" if digits else name


def _counter_order(name: str) -> tuple[int, str]:
    digits = re.match(r"\d+", name)
    return (int(digits[0]) if digits else 10**6, name)


def counters_now(counters: dict[str, tuple[str, ...]], service_names: dict[str, str],
                 tickets: Iterable[Ticket], *, most: int = 8) -> list[CounterNow]:
    """The first ``most`` counters by number, each with the ticket it called last and still has."""
    latest: dict[str, Ticket] = {}
    for ticket in tickets:
        if ticket.state not in _WITH_A_COUNTER or not ticket.counter:
            continue
        known = latest.get(ticket.counter)
        if known is None or (ticket.called_at or ticket.queued_at) >= \
                (known.called_at or known.queued_at):
            latest[ticket.counter] = ticket
    tiles = []
    for name in sorted(counters, key=_counter_order)[:most]:
        codes = counters[name]
        department = service_names.get(codes[0], "") if codes else ""
        now = latest.get(name)
        tiles.append(CounterNow(name, department, now.label if now is not None else ""))
    return tiles


def scaled_label(text: str = "", *, wrap: bool = False,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    """A label that never widens the board: its size follows the board's scale."""
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return label


class FittingLabel(QLabel):
    """A :func:`scaled_label` whose font shrinks below the size it is given (never above) when
    its text would not fit its room: the called number, the counter, its department and the
    spoken words are drawn whole, smaller, where the board's window or a long text leaves less
    room than the design's proportions ("A-002" at 1280 × 720 lost its last digit)."""

    def __init__(self, *, wrap: bool = False,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        super().__init__("")
        self.setWordWrap(wrap)
        self.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._full = QFont(self.font())

    def setFont(self, font: QFont | str | Sequence[str]) -> None:  # noqa: N802 - Qt's name
        """The size the text has when it fits (what :class:`Scaled` gives)."""
        self._full = QFont(font)
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        """Show ``text``, smaller if it would not fit."""
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Fit the text to the new size."""
        super().resizeEvent(event)
        self._fit()

    def _fits(self) -> bool:
        # The measure of the screens' text checks (kiosk/ui/common/text_report.py).
        if self.wordWrap():
            return self.heightForWidth(self.width()) <= self.height()
        return self.sizeHint().width() <= self.width()

    def _fit(self) -> None:
        font = QFont(self._full)
        QLabel.setFont(self, font)
        if self.width() <= 0 or not self.text():
            return
        while font.pixelSize() > 6 and not self._fits():
            font.setPixelSize(max(6, font.pixelSize() * 9 // 10))
            QLabel.setFont(self, font)


class Scaled:
    """Font sizes, line heights and layout margins in design pixels, applied at the board's
    current scale, so that the whole board shrinks in proportion in a smaller window."""

    def __init__(self) -> None:
        self._fonts: list[tuple[QWidget, int, bool, float]] = []
        self._heights: list[tuple[QWidget, int]] = []
        self._layouts: list[tuple[QLayout, tuple[int, int, int, int], int]] = []
        self.scale = 1.0

    def px(self, pixels: float) -> int:
        """``pixels`` of the design at the current scale."""
        return max(1, round(pixels * self.scale))

    def font(self, widget: W, pixels: int, *, bold: bool = False, lines: float = 1.3) -> W:
        """Draw ``widget``'s text ``pixels`` high; the widget is ``lines`` × that high."""
        self._fonts.append((widget, pixels, bold, lines))
        self._apply_font(widget, pixels, bold, lines)
        return widget

    def height(self, widget: W, pixels: int) -> W:
        """Keep ``widget`` ``pixels`` high at full size."""
        self._heights.append((widget, pixels))
        widget.setFixedHeight(self.px(pixels))
        return widget

    def margins(self, layout: QLayout, margins: tuple[int, int, int, int], spacing: int) -> None:
        """Keep ``layout``'s margins and spacing in proportion."""
        self._layouts.append((layout, margins, spacing))
        self._apply_layout(layout, margins, spacing)

    def forget(self, widgets: Sequence[QWidget]) -> None:
        """Stop sizing ``widgets`` (they are being deleted)."""
        gone = {id(widget) for widget in widgets}
        self._fonts = [entry for entry in self._fonts if id(entry[0]) not in gone]
        self._heights = [entry for entry in self._heights if id(entry[0]) not in gone]
        self._layouts = [entry for entry in self._layouts
                         if id(entry[0].parentWidget()) not in gone]

    def apply(self, width: int, height: int) -> None:
        """Scale to a ``width`` × ``height`` window (never above the design size)."""
        self.scale = min(1.0, width / BOARD_SIZE[0], height / BOARD_SIZE[1])
        for widget, pixels, bold, lines in self._fonts:
            self._apply_font(widget, pixels, bold, lines)
        for widget, pixels in self._heights:
            widget.setFixedHeight(self.px(pixels))
        for layout, margins, spacing in self._layouts:
            self._apply_layout(layout, margins, spacing)

    def _apply_font(self, widget: QWidget, pixels: int, bold: bool, lines: float) -> None:
        font = widget.font()
        font.setPixelSize(max(6, round(pixels * self.scale)))
        font.setBold(bold)
        widget.setFont(font)
        widget.setFixedHeight(self.px(pixels * lines))

    def _apply_layout(self, layout: QLayout, margins: tuple[int, int, int, int],
                      spacing: int) -> None:
        left, top, right, bottom = (self.px(value) for value in margins)
        layout.setContentsMargins(left, top, right, bottom)
        layout.setSpacing(self.px(spacing))


def panel_style(name: str, fill: str, *, radius: int = 24, border: str = "") -> str:
    """A rounded panel's style sheet, by object name (children keep their own colours)."""
    line = f"border: 4px solid {border};" if border else "border: none;"
    return (f"QFrame#{name} {{ background: {fill}; border-radius: {radius}px; {line} }}"
            f" QFrame#{name} QLabel {{ background: transparent; border: none; }}")


INK = COLOURS.gray_900
