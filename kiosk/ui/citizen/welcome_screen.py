"""Welcome: a large "tap to start" and the language buttons, each in its own language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.events import EventBus
from kiosk.i18n import LANGUAGES, N_
from kiosk.services.visit import LanguageChanged, Visit
from kiosk.ui.common.bridge import EventBridge

__all__ = ["WelcomeScreen"]


class WelcomeScreen(QWidget):
    """The first screen of the tablet, bound to a :class:`Visit`."""

    def __init__(self, visit: Visit, events: EventBus, languages: tuple[str, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._visit = visit
        self.setObjectName("welcome")
        self.title = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.title.setObjectName("welcome-title")
        title_font = self.title.font()
        title_font.setPointSize(28)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.subtitle = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.subtitle.setProperty("role", "muted")
        self.start_button = QPushButton()
        self.start_button.setObjectName("start")
        self.start_button.setProperty("role", "primary")
        self.start_button.setMinimumHeight(120)
        start_font = self.start_button.font()
        start_font.setPointSize(26)
        self.start_button.setFont(start_font)
        self.notice = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True)
        self.notice.setProperty("role", "muted")
        self.language_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        grid = QGridLayout()
        shown = [lang for lang in LANGUAGES if lang.code in languages]
        for index, lang in enumerate(shown):
            button = QPushButton(lang.native_name)
            button.setCheckable(True)
            button.setObjectName(f"language-{lang.code}")
            button.setMinimumHeight(72)
            button.clicked.connect(lambda _=False, code=lang.code: self._visit.set_language(code))
            group.addButton(button)
            grid.addWidget(button, index // 4, index % 4)
            self.language_buttons[lang.code] = button
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(24)
        layout.addWidget(self.start_button)
        layout.addWidget(self.notice)
        layout.addStretch(1)
        layout.addLayout(grid)
        self.start_button.clicked.connect(self._on_start)
        self._bridge = EventBridge(events, LanguageChanged, self)
        self._bridge.received.connect(self._on_language_changed)
        self._retranslate()

    def _on_language_changed(self, _event: LanguageChanged) -> None:
        self._retranslate()

    def _on_start(self) -> None:
        # The procedure screens are not built yet: say so plainly instead of pretending.
        self.notice.setText(self._visit.tr(N_(
            "Applying on this tablet is not available yet. Please go to the counter.")))

    def _retranslate(self) -> None:
        tr = self._visit.tr
        self.title.setText(tr(N_("Welcome to Tome City Hall")))
        self.subtitle.setText(tr(N_("No forms to write. Pick your language, then tap the button.")))
        self.start_button.setText(tr(N_("Tap here to start")))
        self.notice.setText("")
        for code, button in self.language_buttons.items():
            button.setChecked(code == self._visit.language)
