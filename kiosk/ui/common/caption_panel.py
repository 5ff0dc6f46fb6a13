"""The caption panel: the conversation in very large text, on the tablet and the clerk's desk.

Bound to a :class:`~kiosk.services.conversation.Conversation`; it keeps no text of its own beyond
what it shows, and empties itself when the conversation is cleared. Events arrive through an
:class:`~kiosk.ui.common.bridge.EventBridge`, so captions recognised on the audio thread are
drawn on the GUI thread.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.counter_messages import Party
from kiosk.events import EventBus
from kiosk.i18n import N_, Translator
from kiosk.services.conversation import (
    CaptionAdded,
    CaptionLine,
    Conversation,
    ConversationCleared,
    speaker_label,
)
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["CaptionPanel"]

MIN_POINTS, MAX_POINTS, STEP = 16, 72, 4
_HIGHLIGHT = QColor("#fff3b0")     # latest line; black text on it is 17:1
_PLAIN = QColor("#ffffff")
# Qt's list lays a row out by the font's ascent and descent and clips the text there, but a
# line with stacked accents (Vietnamese) or in a fallback face (Japanese under a Latin line)
# is drawn taller: the last line of a caption lost its bottom or went to an ellipsis. Rows are
# laid out as a text document instead, with room around them.
_PADDING = 6


class _CaptionRows(QStyledItemDelegate):
    """Draws each line of the history as a text document: whole, wrapped, never elided."""

    def _document(self, option: QStyleOptionViewItem, text: str) -> QTextDocument:
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        document.setPlainText(text)
        widget = option.widget
        width = widget.viewport().width() if isinstance(widget, QListWidget) else 0
        document.setTextWidth(max(1, (width or option.rect.width()) - 2 * _PADDING))
        return document

    def sizeHint(self, option: QStyleOptionViewItem,  # noqa: N802 - Qt's name
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        document = self._document(opt, opt.text)
        return QSize(math.ceil(document.idealWidth()) + 2 * _PADDING,
                     math.ceil(document.size().height()) + 2 * _PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)  # background
        document = self._document(opt, text)
        rect = opt.rect
        painter.save()
        painter.translate(rect.left() + _PADDING, rect.top() + _PADDING)
        document.drawContents(painter)
        painter.restore()


class CaptionPanel(QWidget):
    """History with timestamps, latest line highlighted, adjustable size, export and deletion.

    Args:
        conversation: the visit's conversation.
        events: the bus the conversation publishes on.
        tr: translator of the reader (the citizen's language, or Japanese at the clerk's desk).
        points: starting text size in points.
        reader: whose screen this is: the other side's lines show their translation (the
            reader's language) first, what was said underneath.
    """

    export_requested = Signal(str)     # the conversation as text, for the screen or the printer

    def __init__(self, conversation: Conversation, events: EventBus, tr: Translator, *,
                 points: int = 28, reader: Party = Party.CITIZEN,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conversation = conversation
        self._reader = reader
        self._tr = tr
        self._points = points
        # Wrapped at the design's line pitch: a notice of two lines was set solid, touching.
        self._notice = LeadedLabel()
        self._notice.setObjectName("captionNotice")
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.history.setObjectName("captionHistory")
        self.history.setItemDelegate(_CaptionRows(self.history))
        # By pixels: the latest line sits at the bottom with the one before above it, not at
        # the top of an empty list.
        self.history.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        # What was said is personal data: never in a report (common/text_report).
        self.history.setProperty("personal", True)
        self.larger = self._button(N_("Larger text"), lambda: self.set_points(self._points + STEP))
        self.smaller = self._button(N_("Smaller text"),
                                    lambda: self.set_points(self._points - STEP))
        self.export = self._button(N_("Show the conversation"), self._on_export)
        self.delete = self._button(N_("Delete the conversation"), conversation.clear)
        # Two by two, their labels wrapped: four in a row widened a tablet page past its screen.
        buttons = QGridLayout()
        for index, button in enumerate((self.smaller, self.larger, self.export, self.delete)):
            buttons.addWidget(button, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self._notice)
        layout.addWidget(self.history, 1)
        layout.addLayout(buttons)
        self._bridge = EventBridge(events, parent=self)
        self._bridge.received.connect(self._on_event)
        self.set_points(points)
        for line in conversation.lines():
            self._append(line)
        self._update_notice()

    @property
    def points(self) -> int:
        """Current text size in points."""
        return self._points

    def set_points(self, points: int) -> None:
        """Change the text size (clamped to 16-72 pt)."""
        self._points = max(MIN_POINTS, min(MAX_POINTS, points))
        font = QFont(self.history.font())
        font.setPointSize(self._points)
        self.history.setFont(font)
        self._notice.setFont(font)
        self._mark_latest()

    def latest_text(self) -> str:
        """Text of the highlighted (latest) line, as shown."""
        count = self.history.count()
        return self.history.item(count - 1).text() if count else ""

    def _button(self, message_id: str, slot: object) -> QPushButton:
        # "tool": the tablet's style sheet grows these labels half as fast as the citizen's
        # text, as it does the frame's, so that at 200 % the captions keep their room.
        button = TouchButton(self._tr(message_id), target=64, role="tool")   # above 9 mm
        button.clicked.connect(slot)
        return button

    def _on_event(self, event: object) -> None:
        if isinstance(event, CaptionAdded):
            self._append(self._conversation.line(event.index))
        elif isinstance(event, ConversationCleared):
            self.history.clear()
        self._update_notice()

    def _append(self, line: CaptionLine) -> None:
        who = self._tr(speaker_label(line, reader=self._reader))
        said = [line.text, line.translation] if line.translation else [line.text]
        if line.translation and line.party is not self._reader:
            said.reverse()          # the reader's own language on top
        text = "\n".join([f"{line.at:%H:%M}  {who}", *said])
        self.history.addItem(QListWidgetItem(text))
        self._mark_latest()
        self.history.scrollToBottom()
        # Once more when the rows' new heights are laid out, or the latest line's last
        # pixels stay below the edge. The list is the timer's context: a panel closed before
        # it fires (the visit wiped) drops the call instead of reaching a deleted list.
        QTimer.singleShot(0, self.history, self.history.scrollToBottom)

    def _mark_latest(self) -> None:
        count = self.history.count()
        for row in range(count):
            item = self.history.item(row)
            latest = row == count - 1
            font = QFont(self.history.font())
            font.setBold(latest)
            item.setFont(font)
            # Colour and weight together: never colour alone.
            item.setBackground(_HIGHLIGHT if latest else _PLAIN)
        # The list keeps each row's height from before the font changed: a bold, larger or
        # newly wrapped line lost its last line to an ellipsis. Measure the rows again.
        self.history.doItemsLayout()

    def _update_notice(self) -> None:
        notice = self._conversation.missing_model_notice(self._tr.code)
        self._notice.setText(notice or "")
        self._notice.setVisible(notice is not None)

    def _on_export(self) -> None:
        self.export_requested.emit(self._conversation.export_text())
