"""Qt's own warnings, in the kiosk's log without the values they may quote.

Qt writes its messages to stderr, which ends in the system journal, and some quote what they
were given (``QString::arg: Argument missing: <the text>``, a font or style string). Routed
through :func:`log_qt_message`, a message keeps its level, its category and the Qt function it
names (the text before the first ``": "``, e.g. ``QWidget::setGeometry``), and drops the rest:
the place, not the values, as :mod:`kiosk.crash_log` does for Python's exceptions.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

__all__ = ["install_qt_message_handler", "log_qt_message", "qt_place"]

_log = logging.getLogger("kiosk.qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
# "QWidget::setGeometry", "QPainter::begin", "qt.qpa.xcb": a C++ or category name, no spaces.
_PLACE = re.compile(r"^[A-Za-z_][\w:.<>~-]{0,80}$", re.ASCII)


def qt_place(message: str) -> str:
    """The Qt function a message names (``"QWidget::setGeometry"``), or ``"(unnamed)"``."""
    head, found, _rest = message.partition(": ")
    return head if found and _PLACE.match(head) else "(unnamed)"


def log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Log one Qt message by level, category and place only."""
    category = context.category or "default"
    _log.log(_LEVELS.get(kind, logging.WARNING), "qt %s: %s", category, qt_place(message))


def install_qt_message_handler() -> None:
    """Send every Qt message of this process through :func:`log_qt_message`."""
    qInstallMessageHandler(log_qt_message)
