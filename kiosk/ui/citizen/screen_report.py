"""``kiosk tablet --report FILE``: where the tappable buttons of the shown screen are, as JSON.

Written when the first screen is interactive (the kept picture of the start-up Welcome,
:class:`~kiosk.ui.citizen.welcome_picture.PictureWindow`, or the start-up Welcome itself) and
again whenever what can be tapped changes (the tablet taking over, a new screen, the PIN pad
opening), for scripted checks that tap with real input events
(``xdotool``), for the start-up benchmark and for accessibility audits. It names buttons and
their places, and lists every visible text (name, text, rectangle, font size, elided); texts
the screens mark as personal data are listed without their text, so none reaches the file.
The writing is shared with the clerk desktop and the board (:mod:`kiosk.ui.common.widget_report`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from kiosk.ui.citizen.welcome_picture import PictureWindow
from kiosk.ui.common.widget_report import WidgetReport, button_centres

if TYPE_CHECKING:
    from kiosk.ui.citizen.boot_screen import BootWindow
    from kiosk.ui.citizen.tablet import TabletWindow

__all__ = ["ScreenReport", "button_centres"]


def _tablet_stage(window: QWidget) -> dict[str, object]:
    """Whether the tablet took over from the start-up Welcome, its stage and question, and
    every visible text (personal data marked by the screens without its text)."""
    if isinstance(window, PictureWindow):
        return window.describe()        # the kept picture of the Welcome, tappable
    # Imported when the first window with widgets is: the picture is reported without them.
    from kiosk.ui.common.text_report import visible_texts  # noqa: PLC0415

    shown: dict[str, object] = {"texts": visible_texts(window)}
    tablet = getattr(window, "tablet", None)
    if tablet is None:
        # False while the start-up Welcome is shown (taps are kept for the tablet).
        return {"ready": False, "stage": "welcome", "question": None, **shown}
    # Imported here, not with the module: the start-up Welcome's report is written before the
    # visit's modules are loaded (by the services' thread), and must not wait for them.
    from kiosk.services.visit import Stage  # noqa: PLC0415
    from kiosk.ui.citizen.identify_screen import IdentifyScreen  # noqa: PLC0415
    from kiosk.ui.citizen.question_screen import QuestionScreen  # noqa: PLC0415

    visit = tablet.visit
    question = visit.flow.current() if visit.stage.value == "forms" else None
    identify = tablet.screens[Stage.IDENTIFY]
    asking = tablet.screens.get(Stage.FORMS)
    return {"ready": True, "stage": visit.stage.value,
            "question": question.field.id if question is not None else None,
            # Its place among the questions, and how many the screen shows (a run of settled
            # ones checked at once): a double tap on Next must move on by one screen.
            "question_index": visit.flow.index if question is not None else None,
            "question_span": (len(visit.flow.settled_run()) if isinstance(asking, QuestionScreen)
                              and asking.showing_settled() else 1)
            if question is not None else None,
            # The PIN pad's state, how many digits are typed and the tries the card said are
            # left: never the digits.
            "pad": identify.state.value if isinstance(identify, IdentifyScreen) else None,
            "tries_left": getattr(identify, "tries", None),
            "pin_typed": len(identify.pad.text) if isinstance(identify, IdentifyScreen) else 0,
            **shown}


class ScreenReport(WidgetReport):
    """Rewrites ``path`` (atomically) whenever the tappable buttons of the followed window change.

    A screen can change without a visit event (the identify screen opening its PIN pad), so
    the window is looked at every ``interval_ms`` instead; a file is written only on change.
    """

    def __init__(self, window: PictureWindow | BootWindow | TabletWindow, path: Path, *,
                 interval_ms: int = 100) -> None:
        super().__init__(window, path, _tablet_stage, interval_ms=interval_ms)
