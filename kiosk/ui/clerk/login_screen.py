"""The clerk's login: staff id and password, checked against the staff store."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.staff import Role
from kiosk.i18n import S_, Translator
from kiosk.services.staff import StaffService

__all__ = ["LoginScreen"]

# Auditors log in too, but their desk shows only the usage log (see ClerkWindow).
_DESK_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.AUDITOR, Role.ADMIN})


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
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.message = QLabel("", wordWrap=True)
        self.message.setProperty("role", "error")
        self.submit = QPushButton(tr(S_("Log in")))
        self.submit.clicked.connect(self._on_submit)
        self.password.returnPressed.connect(self._on_submit)
        form = QFormLayout()
        form.addRow(tr(S_("Staff ID")), self.login)
        form.addRow(tr(S_("Password")), self.password)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.submit)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def add_below(self, widget: QWidget) -> None:
        """Show ``widget`` under the login form (the device status)."""
        self._layout.insertWidget(self._layout.count() - 1, widget, 1)

    def reset(self) -> None:
        """Clear the fields (after a lock or a logout)."""
        self.password.clear()
        self.message.clear()

    def _on_submit(self) -> None:
        member = self._staff.authenticate(self.login.text().strip(), self.password.text())
        self.password.clear()
        if member is None:
            self.message.setText(self._tr(S_("The staff ID or the password is not correct.")))
            return
        if member.role not in _DESK_ROLES:
            self.message.setText(self._tr(S_("This account may not use the clerk desktop.")))
            return
        self.message.clear()
        self.logged_in.emit(member)
