"""The bar at the top of the citizen's tablet that shows the clerk's notice (a return's reason).

The clerk's PC sends a :class:`~kiosk.services.counter_signals.CounterNotice` over the counter's
conversation relay when an application goes back to its citizen; the bar shows the catalog's
people-made translation in the language the citizen applied in, until they tap OK or the next
visit ends (the next citizen's). Only the fixed return reasons are shown: any other message id is ignored.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.events import EventBus
from kiosk.i18n import N_, translator
from kiosk.services.counter_signals import CounterNotice
from kiosk.services.review import RETURN_REASONS
from kiosk.ui.common.bridge import EventBridge
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["CounterNoticeBar"]

_SHOWN = frozenset(RETURN_REASONS.values())


class CounterNoticeBar(QWidget):
    """Hidden until the clerk sends a notice; ``target`` is the touch target side."""

    def __init__(self, events: EventBus, target: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counter-notice")
        self.heading = LeadedLabel()
        self.heading.setObjectName("counter-notice-heading")
        self.text = LeadedLabel()
        self.text.setObjectName("counter-notice-text")
        self.text.setProperty("role", "error")
        self.ok = TouchButton("", target=target, name="counter-notice-ok", role="primary")
        self.ok.clicked.connect(self.hide)
        texts = QVBoxLayout()
        texts.addWidget(self.heading)
        texts.addWidget(self.text)
        row = QHBoxLayout(self)
        row.addLayout(texts, 1)
        row.addWidget(self.ok)
        self.hide()
        self._bridge = EventBridge(events, CounterNotice, self)
        self._bridge.received.connect(self._on_notice)

    def _on_notice(self, event: CounterNotice) -> None:
        if event.message_id not in _SHOWN:
            return
        tr = translator(event.language)
        self.heading.setText(tr(N_("From the counter:")))
        self.text.setText(tr(event.message_id))
        self.ok.setText(tr(N_("OK")))
        self.show()
