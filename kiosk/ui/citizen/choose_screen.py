"""What do you need? Procedures by plain-language category, several at once, or a life event."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.i18n import N_
from kiosk.services.visit import Visit
from kiosk.ui.citizen.screen_base import Actions, CitizenScreen
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["ChooseScreen"]


class ChooseScreen(CitizenScreen):
    """Toggle procedures; a life event asks a few questions and picks them with the reason.

    The screen is the slowest to build (a picture button per procedure and life event): it is
    built again only when what it shows changes (language, furigana, text size, the reasons
    shown); a procedure toggled only ticks its button. The tablet builds it ahead, while the
    Welcome waits, so that Start does not wait for it.
    """

    def __init__(self, visit: Visit, target: int, parent: QWidget | None = None) -> None:
        super().__init__(visit, target, parent)
        self._built: tuple[object, ...] | None = None
        self._toggles: dict[str, TouchButton] = {}

    def _shown(self) -> tuple[object, ...]:
        """What the built widgets depend on, the ticks aside."""
        visit = self.visit
        reasons = tuple((form_id, reason.get(visit.language))
                        for form_id, reason in visit.reasons.items() if form_id in visit.chosen)
        return (visit.language, self.furigana.on, self.text_scale, reasons)

    def refresh(self) -> None:
        """Tick the chosen procedures; build the screen again only when its texts changed."""
        shown = self._shown()
        if shown == self._built:
            for form_id, toggle in self._toggles.items():
                toggle.setChecked(form_id in self.visit.chosen)
            self.actions_changed.emit()
            return
        self._toggles = {}
        super().refresh()
        self._built = shown

    def build(self, layout: QVBoxLayout) -> None:
        """Categories with toggles and life events."""
        visit, tr, lang = self.visit, self.marked, self.visit.language
        layout.addWidget(self.label(tr(N_("What do you need today? You can choose several.")),
                                    role="title"))
        for category, forms in visit.categories():
            layout.addWidget(self.label(category, role="heading"))
            grid = QGridLayout()
            for index, form in enumerate(forms):
                chosen = form.id in visit.chosen
                toggle = self.button(form.title.get(lang), f"procedure-{form.id}",
                                     checkable=True, checked=chosen, picture=form.picture)
                toggle.clicked.connect(lambda _=False, f=form.id: self._on_toggle(f))
                self._toggles[form.id] = toggle
                grid.addWidget(toggle, index, 0)   # one per row: long titles at 200 % fit
            layout.addLayout(grid)
            for form in forms:
                reason = visit.reasons.get(form.id)
                if form.id in visit.chosen and reason is not None:
                    layout.addWidget(self.label(
                        tr(N_("Why: {reason}"), reason=reason.get(lang)),
                        role="muted"))
        layout.addWidget(self.label(tr(N_("Or tell us what happened in your life:")),
                                    role="heading"))
        events = QGridLayout()
        # Two to a row only where every title's longest word fits half the screen (Japanese
        # at 100 %): a wider row scrolled the whole screen sideways under the finger.
        columns = 2 if lang.startswith("ja") and self.text_scale <= 100 else 1
        for index, bundle in enumerate(visit.forms.bundles.values()):
            button = self.button(bundle.title.get(lang), f"event-{bundle.id}",
                                 picture=bundle.picture)
            button.clicked.connect(lambda _=False, b=bundle.id: self._on_life_event(b))
            events.addWidget(button, index // columns, index % columns)
        layout.addLayout(events)

    def footer_actions(self) -> Actions:
        """Back to the Welcome; Next once a procedure is chosen."""
        return Actions(self.action(N_("Back"), "back", self._on_back, mark="back"),
                       self.action(N_("Next"), "next", self._on_next,
                                   enabled=bool(self.visit.chosen), mark="forward"))

    def _on_toggle(self, form_id: str) -> None:
        self.visit.toggle(form_id)

    def _on_life_event(self, bundle_id: str) -> None:
        self.visit.life_event.choose(bundle_id)

    def _on_back(self) -> None:
        self.visit.back()

    def _on_next(self) -> None:
        self.visit.confirm_procedures()
