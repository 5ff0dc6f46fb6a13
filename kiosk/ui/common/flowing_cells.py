"""Table cells made of short parts (a usage record's ``label：value`` fields) that wrap between
the parts, not inside one.

Japanese may break between any two characters, so a wrapped cell of fields read ``理由：な``
over ``し``. A cell that holds its parts in :data:`PARTS_ROLE` is drawn by
:class:`FlowingDelegate` with the parts laid out in lines that fit the column (a part wider
than the column alone on its line, wrapped there). Its display text stays the parts joined
by an ideographic space, for reports and copying; the text checks measure what is drawn
(:func:`kiosk.ui.common.text_report.visible_texts` asks :meth:`FlowingDelegate.displayed_text`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

__all__ = ["PARTS_ROLE", "SEPARATOR", "FlowingDelegate", "flowed"]

PARTS_ROLE = Qt.ItemDataRole.UserRole + 0x5054     # the cell's parts (a list of str)
SEPARATOR = "\u3000"                                # between two parts on one line


def flowed(parts: Sequence[str], font: QFont, width: int) -> str:
    """``parts`` in lines of at most ``width`` pixels in ``font``, a part never split (one
    wider than ``width`` stands alone on its line)."""
    metrics = QFontMetrics(font)
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}{SEPARATOR}{part}" if lines else part
        if lines and metrics.horizontalAdvance(joined) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return "\n".join(lines)


class FlowingDelegate(QStyledItemDelegate):
    """Draws (and sizes) a cell with :data:`PARTS_ROLE` as its parts in fitting lines."""

    def displayed_text(self, index: QModelIndex | QPersistentModelIndex, font: QFont,
                       room: int) -> str | None:
        """The text drawn in the cell ``index`` when its text has ``room`` pixels across;
        ``None`` for a cell without parts."""
        parts = index.data(PARTS_ROLE)
        return flowed(parts, font, room) if parts else None

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                        index: QModelIndex | QPersistentModelIndex) -> None:
        """The cell's text as drawn in ``option.rect`` (the column's width, when sizing)."""
        super().initStyleOption(option, index)
        if not option.features & QStyleOptionViewItem.ViewItemFeature.WrapText:
            return
        # The room Qt's styles leave the text: the focus frame's margin and a pixel, each side.
        widget = option.widget
        style = widget.style() if widget is not None else None
        margin = (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget)
                  if style is not None else 0) + 1
        text = self.displayed_text(index, option.font, option.rect.width() - 2 * margin)
        if text is not None:
            # As Qt's own display text: a view item's layout breaks lines at U+2028 only.
            option.text = text.replace("\n", "\u2028")
