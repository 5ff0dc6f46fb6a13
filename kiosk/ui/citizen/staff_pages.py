"""The tablet's staff pages behind ⚙: the staff PIN page, then the staff menu.

Staff, not citizens, use them, so they speak the staff's Japanese (the ``staff`` domain). They
have the citizen screens' look (the tablet's style sheet and key size) and fit its width; a
citizen who taps ⚙ finds a way back, and the window folds them away after a while.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kiosk.i18n import S_, Translator, staff_translator
from kiosk.ui.citizen.text_label import text_label
from kiosk.ui.common.numeric_keypad import PinPad
from kiosk.ui.common.tokens import SIZES, SPACE
from kiosk.ui.common.touch_button import TouchButton
from kiosk.ui.common.touch_scroll import scroll_by_finger

__all__ = ["StaffEntry", "StaffMenu"]

STAFF_PIN_LENGTH = 8
"""The longest staff PIN the pad takes (the PIN itself is IT's choice, at most this long)."""


class _StaffPage(QScrollArea):
    """A staff page: a column in the tablet's look that scrolls by finger when the screen is
    too short for it (a landscape tablet, large text), never forcing the window larger."""

    def __init__(self, name: str, stylesheet: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        # A sibling of the tablet in the window's pages, not a child: it takes the same look.
        self.setStyleSheet(stylesheet)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        self.column = QVBoxLayout(content)
        self.column.setContentsMargins(SPACE.side, SPACE.xl, SPACE.side, SPACE.xl)
        self.column.setSpacing(SPACE.m)
        self.setWidget(content)
        scroll_by_finger(self)


class StaffEntry(_StaffPage):
    """The staff PIN page; :attr:`back` when staff leave it, :attr:`entered` on OK.

    The PIN stays in :attr:`pad` until the window takes it (``pad.take_pin()``); the page shows
    only how many digits are typed.
    """

    back = Signal()
    entered = Signal()

    def __init__(self, target: int, stylesheet: str, parent: QWidget | None = None) -> None:
        super().__init__("staff-entry", stylesheet, parent)
        tr = staff_translator("ja")
        column = self.column
        self.title = _label(QLabel(tr(S_("Staff only"))), "muted", "staff-title")
        self.prompt = _label(text_label(tr(S_("Enter the PIN.")), "ja"), "title",
                             "staff-prompt")
        self.dots = _label(QLabel(), "pin", "staff-pin-mask")
        self.message = _label(
            text_label(tr(S_("That PIN is not right. Try again, or tap Back.")), "ja"),
            "error", "staff-message")
        # Its place is kept while it is hidden: the pad must not move under a finger when it
        # shows.
        policy = self.message.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.message.setSizePolicy(policy)
        self.message.hide()
        self.pad = PinPad(target, length=STAFF_PIN_LENGTH, key_mm=SIZES.key_height_mm)
        self.pad.setObjectName("staff-pad")
        self.pad.count_changed.connect(self._on_count)
        self.cancel = TouchButton(tr(S_("Back")), target=target, name="staff-cancel",
                                  role="outline")
        self.ok = TouchButton("OK", target=target, name="staff-ok", role="primary")
        self.cancel.clicked.connect(self.back)
        self.ok.clicked.connect(self._on_ok)
        row = QHBoxLayout()
        row.setSpacing(SPACE.m)
        row.addWidget(self.cancel, 1)
        row.addWidget(self.ok, 2)
        for widget in (self.title, self.prompt, self.dots, self.message, self.pad):
            column.addWidget(widget)
        column.addStretch(1)
        column.addLayout(row)
        self._on_count(0)

    def open(self) -> None:
        """Show it afresh: nothing typed, no message."""
        self.pad.clear()
        self.message.hide()

    def refused(self) -> None:
        """The PIN was wrong: say so and start again (the pad is empty already)."""
        self.message.show()

    def _on_count(self, count: int) -> None:
        # Dots for the digits typed; a dash before the first, so the line never jumps.
        self.dots.setText("●" * count if count else "—")
        self.ok.setEnabled(count > 0)

    def _on_ok(self) -> None:
        if self.pad.text:
            self.entered.emit()


class StaffMenu(_StaffPage):
    """After the staff PIN: what runs on this device (``about``), Back, and the way out.

    :attr:`back` and :attr:`leave` are the two buttons' taps.
    """

    def __init__(self, target: int, stylesheet: str, about: QWidget, tr: Translator,
                 parent: QWidget | None = None) -> None:
        super().__init__("staff-menu", stylesheet, parent)
        column = self.column
        column.addWidget(_label(QLabel(tr(S_("Staff only"))), "muted", "staff-menu-title"))
        column.addWidget(_label(text_label(tr(S_("About this device")), "ja"), "title",
                                "staff-menu-heading"))
        column.addSpacing(SPACE.m)
        column.addWidget(about)
        column.addStretch(1)
        self.back = TouchButton(tr(S_("Back")), target=target, name="staff-back",
                                role="outline")
        self.leave = TouchButton(tr(S_("Exit the kiosk")), target=target, name="staff-exit",
                                 role="primary")
        row = QHBoxLayout()
        row.setSpacing(SPACE.m)
        row.addWidget(self.back, 1)
        row.addWidget(self.leave, 2)
        column.addLayout(row)


def _label(label: QLabel, role: str, name: str) -> QLabel:
    label.setObjectName(name)
    label.setProperty("role", role)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
