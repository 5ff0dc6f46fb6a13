"""The start-up Welcome as a picture, shown while the real one is built.

A bare Qt window is on the screen in about a quarter of a second; the start-up Welcome
(:class:`~kiosk.ui.citizen.boot_screen.BootWindow`) needs its modules, its style sheet and
its fonts first, and came up at about twice that. So the tablet keeps a picture of its
Welcome, as drawn on this device, and shows it the moment Qt is up: a citizen can already
tap a language or Start on it (the buttons' places are kept with the picture). A tap brings
the real Welcome in its place, looking the same, to answer it (the taps are carried over);
a picture nobody tapped is replaced by the tablet itself once the services are ready.

A picture is used only for the configuration, screen and build it was taken with
(:func:`picture_key`); any other start draws the Welcome live and takes a new picture. A start
that never drew the Welcome checks the picture against it once the tablet is up
(:func:`~kiosk.ui.citizen.tablet_start.check_kept_picture`). The
Welcome shows no personal data; the file is private to the kiosk's user all the same. This
module imports nothing but Qt's GUI classes and two small modules of its own: that is the
point.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QRect, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from kiosk import __version__
from kiosk.ui.citizen.showing import TITLE, WINDOW_SIZE, show_window
from kiosk.ui.common.first_paint import FirstPaint

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QMouseEvent, QPaintEvent

    from kiosk.config_sections import UiConfig

__all__ = ["WELCOME_PICTURE", "Picture", "PictureWindow", "chosen_on", "keep_picture",
           "picture_key", "read_picture", "same_pixels", "shown_picture", "take_picture",
           "welcome_picture_key", "write_picture"]

WELCOME_PICTURE = "welcome.picture"
"""The file of the kept Welcome, in the folder the tablet keeps it in."""

_log = logging.getLogger(__name__)

_MAGIC = b"kiosk-welcome-picture 1\n"
_PRESSED = QColor(0, 0, 0, 64)      # a pressed button darkens, as the real ones do
_OUTSIDE = QColor(255, 255, 255)    # the Welcome's background
_SETTLING_ROUNDS = 3                # posted events that post others (take_picture)


@dataclass
class Picture:
    """The Welcome as drawn, with the places (window coordinates) of what it shows."""

    key: dict[str, object]
    image: QImage
    buttons: dict[str, list[int]] = field(default_factory=dict)   # name: [x, y, w, h]
    texts: list[dict[str, object]] = field(default_factory=list)  # as text_report, rects in it
    checked: list[str] = field(default_factory=list)
    pixels: bytes | memoryview = field(default=b"", repr=False)   # a read image's own

    def detach(self) -> None:
        """Hold the pixels in memory of its own, no longer in the file they were read from
        (a read picture is drawn straight from the file, mapped: see :func:`read_picture`)."""
        if self.pixels:
            self.image = self.image.copy()
            self.pixels = b""


def picture_key(ui: UiConfig, width: int, height: int, ratio: float,
                platform: str) -> dict[str, object]:
    """What a picture must have been taken with to stand for the Welcome of this start.

    The staff exit PIN's hash is not part of it: it changes nothing on the Welcome, and has
    no business in another file.
    """
    settings = asdict(ui)
    settings.pop("staff_exit_pin_hash", None)
    return {"version": __version__, "ui": json.loads(json.dumps(settings)),
            "size": [width, height], "ratio": ratio, "platform": platform}


def read_picture(path: Path, key: dict[str, object]) -> Picture | None:
    """The picture kept at ``path`` if it was taken with ``key``; ``None`` if there is none,
    it was taken with another (a new build, setting or screen), or it cannot be read (a
    warning, never an error: the Welcome is then drawn live and the picture taken again)."""
    try:
        data = _mapped(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        _log.warning("start-up picture %s unreadable (%s): drawing the Welcome", path,
                     exc.strerror or type(exc).__name__)
        return None
    try:
        picture = _parse(data)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        _log.warning("start-up picture %s damaged (%s): drawing the Welcome", path, exc)
        return None
    return picture if picture.key == key else None


def _mapped(path: Path) -> mmap.mmap | bytes:
    """The file at ``path``, mapped read-only: its 4 MB are drawn from the system's file cache
    without being copied first (reading them cost the first screen 2 ms). The tablet copies them
    out once the picture is up (:meth:`Picture.detach`), so that the file can be replaced while
    it runs (Windows keeps a mapped file) and one changed in place cannot pull the pages from
    under a painting window."""
    with path.open("rb") as file:
        if os.fstat(file.fileno()).st_size == 0:
            return b""              # nothing to map: read as a damaged picture
        if not hasattr(mmap, "PROT_READ"):      # Windows
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        # Its pages mapped at once (Linux), not one fault at a time while it is painted.
        return mmap.mmap(file.fileno(), 0, prot=mmap.PROT_READ,
                         flags=mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0))


def _parse(data: mmap.mmap | bytes) -> Picture:
    if data[:len(_MAGIC)] != _MAGIC:
        raise ValueError("not a start-up picture")
    end = data.find(b"\n", len(_MAGIC))
    if end < 0:
        raise ValueError("no end to its head")
    head = json.loads(data[len(_MAGIC):end])
    width, height, stride = int(head["width"]), int(head["height"]), int(head["stride"])
    pixels = memoryview(data)[end + 1:]     # not copied: 4 MB for a tablet's screen
    if width <= 0 or height <= 0 or stride < 4 * width or len(pixels) != stride * height:
        raise ValueError("size does not match its pixels")
    image = QImage(pixels, width, height, stride, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(float(head["key"]["ratio"]))
    buttons = {str(name): _rect(rect) for name, rect in dict(head["buttons"]).items()}
    texts = [{**dict(text), "rect": _rect(text["rect"])} for text in head["texts"]]
    return Picture(key=dict(head["key"]), image=image, buttons=buttons, texts=texts,
                   checked=[str(name) for name in head["checked"]], pixels=pixels)


def _rect(value: object) -> list[int]:
    """``[x, y, width, height]`` as kept, or ValueError: the window paints and reports them."""
    if not isinstance(value, list) or len(value) != 4 or \
            not all(isinstance(number, int) for number in value):
        raise ValueError(f"not a rectangle: {value!r:.40}")
    return value


def write_picture(path: Path, picture: Picture) -> bool:
    """Keep ``picture`` at ``path`` (atomically, private to this user); whether it was kept
    (a full disk or a read-only folder is a warning: the Welcome is drawn live next time)."""
    image = picture.image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    head = {"key": picture.key, "width": image.width(), "height": image.height(),
            "stride": image.bytesPerLine(), "buttons": picture.buttons,
            "texts": picture.texts, "checked": picture.checked}
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(_MAGIC)
            file.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")
            file.write(bytes(image.constBits()))
        os.replace(partial, path)
    except OSError as exc:
        _log.warning("start-up picture %s not kept (%s)", path,
                     exc.strerror or type(exc).__name__)
        return False
    return True


def take_picture(window: QWidget, key: dict[str, object]) -> Picture:
    """``window`` (the start-up Welcome, shown) as it is drawn now, with its buttons' places,
    its checked buttons and its texts, in window coordinates."""
    from kiosk.ui.common.text_report import visible_texts  # noqa: PLC0415
    from kiosk.ui.common.widget_report import button_rects, checked_buttons  # noqa: PLC0415

    # Settled first, as the citizen will see it: a wrapped label's height comes with a
    # posted layout request, and the scroll bar's range with another one after that.
    for _ in range(_SETTLING_ROUNDS):
        QApplication.sendPostedEvents()
    corner = window.mapToGlobal(window.rect().topLeft())
    texts = _shifted(visible_texts(window), -corner.x(), -corner.y())
    buttons = {name: [x - corner.x(), y - corner.y(), width, height]
               for name, (x, y, width, height) in button_rects(window).items()}
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return Picture(key=key, image=image, buttons=buttons, texts=texts,
                   checked=checked_buttons(window))


def _shifted(texts: list[dict[str, object]], dx: int, dy: int) -> list[dict[str, object]]:
    """``texts`` (as :func:`~kiosk.ui.common.text_report.visible_texts`) moved by (dx, dy)."""
    moved = []
    for text in texts:
        x, y, width, height = cast("list[int]", text["rect"])
        moved.append({**text, "rect": [x + dx, y + dy, width, height]})
    return moved


def same_pixels(one: Picture, other: Picture) -> bool:
    """Whether two pictures show the same thing in the same places."""
    return (one.image == other.image and one.buttons == other.buttons
            and one.checked == other.checked and one.texts == other.texts)


def keep_picture(window: QWidget, key: dict[str, object], shown: Picture | None,
                 path: Path) -> bool:
    """Keep a picture of ``window`` (the start-up Welcome as nobody touched it) at ``path``
    if it differs from ``shown``, the picture this start showed (none: a first start).
    Written on a thread of its own; whether it is written."""
    picture = take_picture(window, key)
    if shown is not None and same_pixels(picture, shown):
        return False
    import threading  # noqa: PLC0415 - not before the picture is on the screen

    threading.Thread(target=write_picture, args=(path, picture), name="welcome-picture",
                     daemon=True).start()
    return True


def chosen_on(taps: list[str], language: str) -> tuple[str, bool]:
    """What ``taps`` on the picture chose, as on the start-up Welcome: the language
    (``language`` if none was tapped) and whether Start was tapped."""
    start = False
    for name in taps:
        if name == "start":
            start = True
        elif name.startswith("language-"):
            language = name.removeprefix("language-")
    return language, start


class PictureWindow(QWidget):
    """The kept Welcome, painted; a tap on one of its buttons is kept in :attr:`taps`, and
    :attr:`tapped` emitted.

    A press darkens the button under the finger; a release on the same button is a tap, as
    on a real button. ``kiosk_mode``: frameless, on top and not closable by the citizen, as
    the windows that follow.
    """

    tapped = Signal()

    def __init__(self, picture: Picture, *, kiosk_mode: bool) -> None:
        super().__init__()
        self.setObjectName("welcome-picture")
        self.picture = picture
        self.kiosk_mode = kiosk_mode
        self.handed_over = False
        self.taps: list[str] = []
        self.first_paint = FirstPaint()     # the rest of the start waits for it
        self._pressed: str | None = None
        if kiosk_mode:
            from PySide6.QtCore import Qt  # noqa: PLC0415 - window flags have no property

            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.resize(picture.image.deviceIndependentSize().toSize())
        # It paints every pixel itself (paintEvent): no window background for Qt to fill
        # first, which held its first paint back 2 ms (4 MB cleared). Said with the palette:
        # the attribute that says it (WA_OpaquePaintEvent) is among Qt's namespace of enums,
        # whose first use costs some 15 ms.
        palette = self.palette()
        palette.setBrush(QPalette.ColorRole.Window, QBrush())
        self.setPalette(palette)

    def button_at(self, x: int, y: int) -> str | None:
        """The name of the button at window point (x, y), if any."""
        for name, rect in self.picture.buttons.items():
            if QRect(*rect).contains(x, y):
                return name
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        """The picture, and the pressed button darkened."""
        image = self.picture.image
        painter = QPainter(self)
        painter.drawImage(0, 0, image)
        size = image.deviceIndependentSize().toSize()
        if self.width() > size.width() or self.height() > size.height():
            # Made larger than the picture (by hand, outside kiosk mode): Qt clears nothing
            # around it (see __init__).
            painter.fillRect(QRect(size.width(), 0, self.width(), self.height()), _OUTSIDE)
            painter.fillRect(QRect(0, size.height(), size.width(), self.height()), _OUTSIDE)
        if self._pressed is not None:
            painter.fillRect(QRect(*self.picture.buttons[self._pressed]), _PRESSED)
        painter.end()
        self.first_paint.painted()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """Remember the button pressed (touches reach here as mouse presses)."""
        point = event.position().toPoint()
        self._pressed = self.button_at(point.x(), point.y())
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        """A release on the button pressed is a tap on it."""
        point = event.position().toPoint()
        pressed, self._pressed = self._pressed, None
        self.update()
        if pressed is not None and self.button_at(point.x(), point.y()) == pressed:
            self.taps.append(pressed)
            self.tapped.emit()

    def describe(self) -> dict[str, object]:
        """What ``--report`` says of this window: the Welcome's buttons, checked buttons and
        texts where they are on the screen, not yet ready."""
        corner = self.mapToGlobal(self.rect().topLeft())
        left, top = corner.x(), corner.y()
        # As QRect.center(), as the report of a window with real buttons.
        buttons = {name: [left + x + (width - 1) // 2, top + y + (height - 1) // 2]
                   for name, (x, y, width, height) in self.picture.buttons.items()}
        texts = _shifted(self.picture.texts, left, top)
        return {"picture": True, "ready": False, "stage": "welcome", "question": None,
                "buttons": buttons, "checked": list(self.picture.checked), "texts": texts}

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        """In kiosk mode only the hand-over to the real Welcome closes this window."""
        if self.handed_over or not self.kiosk_mode:
            event.accept()
        else:
            event.ignore()


def welcome_picture_key(ui: UiConfig) -> dict[str, object]:
    """The key of the Welcome's picture for ``ui`` on this screen (Qt must be up)."""
    screen = QGuiApplication.primaryScreen()
    if ui.fullscreen:
        size = screen.geometry().size()
        width, height = size.width(), size.height()
    else:
        width, height = WINDOW_SIZE
    return picture_key(ui, width, height, screen.devicePixelRatio(),
                       QGuiApplication.platformName())


def shown_picture(ui: UiConfig, pictures: Path) -> PictureWindow | None:
    """The Welcome's picture kept in ``pictures`` for ``ui``, shown; ``None`` when there is
    none for this configuration, screen and build (the Welcome is then drawn live)."""
    kept: Picture | None = read_picture(pictures / WELCOME_PICTURE, welcome_picture_key(ui))
    if kept is None:
        return None
    window = PictureWindow(kept, kiosk_mode=ui.fullscreen)
    window.setWindowTitle(TITLE)
    show_window(window, kiosk_mode=ui.fullscreen)
    return window
