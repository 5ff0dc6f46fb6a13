"""What the start-up Welcome and the tablet's Welcome share: the language buttons, the texts
and the start button's size, so that nothing moves when the tablet takes over.

Light on purpose (Qt and the catalogs only): the start-up Welcome imports it before the
services and the screens have loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout

from kiosk.i18n import LANGUAGES, N_
from kiosk.ui.common.touch_button import TouchButton

__all__ = ["START", "SUBTITLE", "TITLE", "add_language_buttons", "language_columns",
           "start_height"]

TITLE = N_("Welcome to Tome City Hall")
SUBTITLE = N_("No forms to write. Pick your language, then tap the button.")
START = N_("Tap here to start")


def language_columns(text_scale: int) -> int:
    """Language buttons per row: three leave the voice, talk and furigana buttons a column of
    their own at 100 %; at larger text two, so that the native names still fit."""
    return 3 if text_scale <= 120 else 2


def start_height(target: int) -> int:
    """The start button's height: twice a finger target, and never small."""
    return max(target * 2, 120)


def add_language_buttons(bar: QGridLayout, languages: tuple[str, ...], *, target: int,
                         columns: int, on_language: Callable[[str], None]
                         ) -> dict[str, TouchButton]:
    """One checkable button per offered language, named ``language-<code>`` and labelled in
    the language itself, laid out ``columns`` to a row of ``bar``; returns them by code."""
    buttons: dict[str, TouchButton] = {}
    shown = [lang for lang in LANGUAGES if lang.code in languages]
    for index, lang in enumerate(shown):
        button = TouchButton(lang.native_name, target=target, name=f"language-{lang.code}")
        button.setCheckable(True)
        button.clicked.connect(lambda _=False, code=lang.code: on_language(code))
        bar.addWidget(button, index // columns, index % columns)
        buttons[lang.code] = button
    return buttons
