"""The clerk's login: staff id and password, checked against the staff store.

After a failed login the button waits as long as the service makes the next try wait (the
delay grows with each failure, and the service refuses early tries anyway); a locked account
says to ask a supervisor. In the demo a hint shows the demo clerk's staff ID and password.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.staff import Role
from kiosk.errors import UserFacingError
from kiosk.i18n import S_, Translator
from kiosk.services.outage import OutageWatch, is_outage
from kiosk.services.staff import LoginRefusedError, LoginWaitError, StaffService
from kiosk.ui.common.message_label import MessageLabel

__all__ = ["LoginScreen"]

# Auditors log in too, but their desk shows only the usage log (see ClerkWindow).
_DESK_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN})
# The service measures the delay from the failure's time, a little before the button waits.
_MARGIN_MS = 100


class LoginScreen(QWidget):
    """Emits :attr:`logged_in` with the :class:`StaffMember` after a correct login."""

    logged_in = Signal(object)

    def __init__(self, tr: Translator, staff: StaffService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._staff = staff
        self._tr = tr
        self.heading = QLabel(tr(S_("Staff login")))
        self.heading.setObjectName("clerk-heading")
        self.login = QLineEdit()
        self.login.setObjectName("login-id")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.password.setObjectName("login-password")
        self.message = MessageLabel()
        # Shown only in the demo (see show_hint): who to log in as.
        self.hint = QLabel("", wordWrap=True)
        self.hint.setObjectName("login-hint")
        self.hint.hide()
        self.submit = QPushButton(tr(S_("Log in")))
        self.submit.setObjectName("login-submit")
        # Precise: a coarse timer may fire 5 % early, and the service would refuse that try.
        self._wait = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._wait.timeout.connect(self._on_wait_over)
        self.wait_note = QLabel("", wordWrap=True)      # while the button waits
        self.wait_note.setProperty("role", "muted")
        self.wait_note.hide()
        self.submit.clicked.connect(self._on_submit)
        self.password.returnPressed.connect(self._on_submit)
        form = QFormLayout()
        form.addRow(tr(S_("Staff ID")), self.login)
        form.addRow(tr(S_("Password")), self.password)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.submit)
        layout.addWidget(self.message)
        layout.addWidget(self.wait_note)
        layout.addStretch(1)

    def add_below(self, widget: QWidget) -> None:
        """Show ``widget`` under the login form (the device status)."""
        self._layout.insertWidget(self._layout.count() - 1, widget, 1)

    def reset(self) -> None:
        """Clear the form (after a lock or a logout) and put the cursor in the staff ID:
        the next person signs in as themselves, and a locked desk does not show who
        worked at it."""
        self.login.clear()
        self.password.clear()
        self.message.clear()
        self.login.setFocus()

    def show_hint(self, text: str) -> None:
        """Show ``text`` above the form (the demo's account)."""
        self.hint.setText(text)
        self.hint.show()

    def _on_wait_over(self) -> None:
        self.submit.setEnabled(True)
        self.wait_note.hide()

    def _on_submit(self) -> None:
        if not self.submit.isEnabled():
            return          # Return pressed in the password field while the button waits
        try:
            member = self._staff.log_in(self.login.text().strip(), self.password.text())
        except LoginRefusedError as exc:
            self.password.clear()
            self.message.setText(self._tr(exc.message_id, **exc.params))
            if exc.wait_s > 0 and not isinstance(exc, LoginWaitError):
                self.wait_note.setText(self._tr(S_("You can try again in {seconds} seconds."),
                                                seconds=math.ceil(exc.wait_s)))
                self.wait_note.show()
            if exc.wait_s > 0:
                self.submit.setEnabled(False)
                self._wait.start(math.ceil(exc.wait_s * 1000) + _MARGIN_MS)
            return
        except UserFacingError as exc:
            if not is_outage(exc):
                raise
            message_id, params = OutageWatch().message(exc)    # nothing typed is kept
            self.password.clear()
            self.message.setText(self._tr(message_id, **params))
            return
        self.password.clear()
        if member.role not in _DESK_ROLES:
            self.message.setText(self._tr(S_("This account may not use the clerk desktop.")))
            return
        self.message.clear()
        self.logged_in.emit(member)
