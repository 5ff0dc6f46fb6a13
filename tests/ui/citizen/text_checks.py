"""The language-purity rules of the every-screen checks, shared with the pilot day (tests/e2e).

A visible text (an entry of :func:`kiosk.ui.common.text_report.visible_texts`) leaks when a
screen in another language than Japanese shows Japanese in it: kana on a Chinese screen (kanji
are Chinese too), kana or kanji on any other. Personal data (the card's name and address) and
texts marked with their own language (the city's name, language names) are never leaks.

On the Japanese staff screens (the clerk desk and the board) the leak is the other way round:
any word in letters that are not Japanese (English left untranslated, a raw code), but for
the few Latin identifiers a Japanese screen shows as they are (:data:`STAFF_LATIN`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.ui.common.leaded_label import line_pitch

__all__ = ["JAPANESE", "KANA", "STAFF_LATIN", "crowded_lines", "foreign_text", "foreign_words"]

KANA = re.compile(r"[\u3040-\u30ff]")                 # hiragana and katakana
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")   # and kanji


def foreign_text(text: Mapping[str, object], code: str) -> bool:
    """Whether ``text`` is Japanese leaking onto a screen in language ``code``."""
    shown = str(text["text"] or "")
    leak = KANA if code == "zh_Hans" else JAPANESE
    return not code.startswith("ja") and not text["personal"] and not text["lang"] and \
        leak.search(shown) is not None


# Latin a Japanese clerk or board screen shows as it is, and nothing else: ticket labels
# service code, number), a service code alone (A); PDF, QR (the ticket's code) and ID
# (職員ID), which Japanese writes in Latin letters too; and for IT on the login's "about this
# device" (kiosk/ui/common/about_panel.py): SHA-256, a commit or checksum (hex digits with a
# digit among them: no English word) and the configuration file's absolute path. A word in
# letters beside one of them (PDFs, QRcode, Aa) is not one of them.
STAFF_LATIN = re.compile(
    r"(?<![\w/])(?:/|[A-Z]:\\)[\w.\-/\\]+"
    r"|(?<![A-Za-z])(?:[A-Z]{1,2}-\d{3,}|[A-Z]|PDF|QR|ID|SHA-256)(?![A-Za-z])"
    r"|(?<![\w/])(?=[0-9a-f]*\d)[0-9a-f]{8,}(?!\w)")
# Letters of any script but Japanese (kana, kanji, the iteration mark 々, halfwidth kana).
_NOT_JAPANESE = re.compile(
    r"[^\W\d_\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")


def foreign_words(text: Mapping[str, object]) -> list[str]:
    """The words of ``text`` on a Japanese staff screen that are not Japanese (nor one of
    :data:`STAFF_LATIN`); none for personal data and texts marked with their own language
    (the board's call in the visitor's language)."""
    if text["personal"] or text["lang"]:
        return []
    return _NOT_JAPANESE.findall(STAFF_LATIN.sub(" ", str(text["text"] or "")))


def crowded_lines(root: QWidget) -> list[str]:
    """The visible texts of two lines or more under ``root`` whose lines are closer than the
    design's pitch (``TYPE.line_height_label``): the UI font is set solid, so a word-wrapped
    ``QLabel`` or a ``QPushButton`` of several lines draws them touching, and stacked marks
    (Tiếng Việt) run into the line above."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or widget.visibleRegion().isEmpty():
            continue
        layout = getattr(widget, "line_layout", None)
        if callable(layout):
            lines, pitch = layout()
        elif isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            metrics = QFontMetrics(widget.font())
            room = QRect(0, 0, max(1, widget.contentsRect().width()), 1 << 20)
            drawn = metrics.boundingRect(room, int(Qt.TextFlag.TextWordWrap), widget.text())
            lines, pitch = round(drawn.height() / metrics.lineSpacing()), metrics.lineSpacing()
        elif isinstance(widget, QAbstractButton):
            lines, pitch = len(widget.text().splitlines()), widget.fontMetrics().lineSpacing()
        else:
            continue
        if lines > 1 and pitch < line_pitch(widget.font()) - 1:
            found.append(f"{widget.objectName() or type(widget).__name__} {lines} lines "
                         f"{pitch} px apart {widget.text()[:30]!r}")
    return found
