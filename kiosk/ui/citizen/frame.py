"""The frame around every citizen screen: a header, a step bar, and a footer that never moves.

The header names the city and holds the language button (it opens the language sheet) and the
button to talk with a clerk. The step bar says where the visitor is ("Step 3 / 6 PIN") and holds
the furigana and voice toggles. The footer has two places: Back on the left, the step forward
on the right; the same pixels on every screen (the convenience-store certificate machine's
lesson: a finger learns where "next" is). Light on purpose (Qt, catalogs, tokens): the
start-up Welcome builds the same header and footer before the services have loaded, and it
builds them without Python's ``Qt`` namespace, whose hundred enums cost the first screen
about 15 ms of a tablet's CPU: what the tablet alone needs of it is imported where it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QFontInfo, QIcon, QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import N_, Translator, language
from kiosk.procedures.pictures import picture_path, pictures_dir
from kiosk.ui.citizen.text_label import text_label
from kiosk.ui.citizen.welcome_parts import language_grid
from kiosk.ui.common.leaded_label import LeadedLabel
from kiosk.ui.common.picture_button import picture_icon, picture_pixmap
from kiosk.ui.common.theme import Theme
from kiosk.ui.common.tokens import SIZES, SPACE, action_height
from kiosk.ui.common.touch_button import ICON_GAP, TouchButton, drawn_height

__all__ = ["CITY_NAME", "STEPS", "Action", "Actions", "Footer", "Header", "LanguageSheet", "StaffRow",
           "StepBar", "keep_place"]

# Shown in Japanese in every language: it is the name on the building (design README).
CITY_NAME = "登米市役所"
_CITY_LINES = ("登米市", "役所")    # where the name breaks when it must
_CITY_MARK = 52     # the mark's side in pixels, beside the name (design: header)
_HEADER_PICTURE = 32    # the globe and the person on the header's buttons (design: .hbtn .icon)
_PICTURE_GAP = 6    # with the style's own 4, the design's 10 between a picture and words

STEPS = (N_("What you need"), N_("Card"), N_("PIN"), N_("Questions"), N_("Check"),
         N_("Ticket"))
"""The six steps of a visit, in order, as the step bar names them."""

# Text scale (%) above which the footer reserves no second line for its labels, and an
# answer and its button stack (the start-up Welcome's footer and the tablet's the same).
STACK_ABOVE_SCALE = 150

# The footer's two places as parts of its width: Back 232 and forward 440 of 800 px.
_BACK_PART, _GAP_PART, _FORWARD_PART = 232, 64, 440
_TALL_LINE = "ẾỆgjक्षि"   # the tallest scripts offered (Vietnamese marks, Devanagari)
_TWO_LINE_PAD = 20   # the touch button's padding above and below its label


@dataclass(frozen=True)
class Action:
    """What a footer button does: its label, the name the pilot taps, the handler, a shorter
    label for when ``text`` needs more lines than the footer reserves (a long declaration at
    150 % text; without one the footer grows on that screen), and its mark (:data:`MARKS`)."""

    text: str
    name: str
    handler: Callable[[], None]
    enabled: bool = True
    short: str = ""
    mark: str = ""


# The design's marks on footer buttons: a chevron before a way back ("‹ Back", "‹ Close"),
# after a step forward ("Next ›"), a tick before a confirmation ("✓ Use this PIN"); a
# declaration or the end of the visit has none. Name -> (picture, drawn after the label).
MARKS = {"back": ("chevron-back", False), "forward": ("chevron-forward", True),
         "check": ("check", False)}
_MARK_PICTURE = 32     # at least; as large as the label's letters


@dataclass(frozen=True)
class Actions:
    """A screen's two footer buttons: Back on the left, the step forward on the right.

    A screen without one leaves its place empty; a step forward that cannot act yet is shown
    disabled, not hidden.
    """

    back: Action | None = None
    forward: Action | None = None


def keep_place(widget: QWidget) -> QWidget:
    """``widget`` keeps its place in the layout while hidden, so nothing else moves."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
    return widget


class StaffRow(QWidget):
    """The row under the tablet in kiosk mode with the staff's ⚙ at its right end.

    The start-up Welcome has the same row, so that nothing moves up when the tablet takes
    over; only the tablet's ⚙ opens the staff PIN pad.
    """

    def __init__(self, target: int) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.button = TouchButton("⚙", target=target, name="staff")
        row.addStretch(1)
        row.addWidget(self.button)


def _city_mark(ratio: float) -> QLabel:
    """The city's mark as the header shows it beside the name (an empty label where the
    picture cannot be drawn: the name says the same)."""
    mark = QLabel()
    mark.setObjectName("city-mark")
    # Beside the pictograms, not among them: it keeps its own colours in every theme.
    path = pictures_dir().parent / "marks" / "city-mark.svg"
    if path.is_file():
        mark.setPixmap(picture_pixmap(path, "", _CITY_MARK, ratio))
    mark.setFixedSize(_CITY_MARK, _CITY_MARK)
    return mark


class Header(QFrame):
    """The city's mark and name, the language button and the talk-with-a-clerk button.

    A frame, as the footer is: a plain widget does not draw its style sheet's border (the line
    under the header).
    """

    def __init__(self, target: int, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        row = QHBoxLayout(self)
        row.setContentsMargins(SPACE.frame_side, SPACE.m, SPACE.frame_side, SPACE.m)
        row.setSpacing(SPACE.m)
        row.addWidget(_city_mark(self.devicePixelRatioF()))
        self.city = QLabel(CITY_NAME)
        self.city.setObjectName("city-name")
        self.city.setProperty("role", "city")
        self.city.setProperty("lang", "ja")       # a name, not a leak (the language checks)
        row.addWidget(self.city, 1)
        self.language = TouchButton("", target=target, name="language", role="outline")
        self.talk = TouchButton("", target=target, name="talk", role="outline")
        # The design's globe and person beside the words: recognised before they are read.
        self._pictures: dict[TouchButton, QIcon] = {}
        for button, picture in ((self.language, "globe"), (self.talk, "staff")):
            path = picture_path(picture)
            if path is not None:
                self._pictures[button] = picture_icon(
                    path, theme, _HEADER_PICTURE, self.devicePixelRatioF(),
                    normal=theme.outline, gap=_PICTURE_GAP)
                button.setIconSize(QSize(_HEADER_PICTURE + _PICTURE_GAP, _HEADER_PICTURE))
        self._row = row
        keep_place(self.talk)
        row.addWidget(self.language)
        row.addWidget(self.talk)
        self.setMinimumHeight(SIZES.header)

    def retranslate(self, tr: Translator, code: str) -> None:
        """Label the buttons in the visitor's language; the language button shows its name."""
        self.language.setText(language(code).native_name)
        self.language.setAccessibleName(tr(N_("Language")))
        self.talk.setText(tr(N_("Talk with the clerk")))
        self._fit_pictures()
        self._fit_city()       # now, before the new labels' widths can widen the window

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Show the pictures if they fit at the new width; the name on two lines if it must."""
        super().resizeEvent(event)
        self._fit_pictures()
        self._fit_city()

    def _fit_city(self) -> None:
        # At 200 % text the name and two labels of unbreakable words (Portuguese, Tagalog)
        # were wider than the tablet, and the window grew past the screen's edge. Where the
        # whole name leaves the buttons too little room even with their labels wrapped, it
        # takes two lines, broken where it is read (登米市 / 役所); elsewhere it stays whole.
        metrics = self.city.fontMetrics()
        overhead = self.city.sizeHint().width() - max(
            metrics.horizontalAdvance(line) for line in self.city.text().splitlines())
        whole = metrics.horizontalAdvance(CITY_NAME) + overhead
        # The screen's width, not only the header's: a row too wide for the screen makes the
        # window (and the header) wider than the screen, where everything would seem to fit.
        screen = self.screen()
        width = self.width() if screen is None else \
            min(self.width(), screen.availableGeometry().width())
        room = (self._beside_mark(width) - self.language.minimumSizeHint().width()
                - self.talk.minimumSizeHint().width())
        fits = room >= whole
        self.city.setMinimumWidth(whole if fits else overhead + max(
            metrics.horizontalAdvance(part) for part in _CITY_LINES))
        text = CITY_NAME if fits else "\n".join(_CITY_LINES)
        if self.city.text() != text:
            self.city.setText(text)

    def _beside_mark(self, width: int) -> int:
        """The room a header ``width`` wide leaves the name and the two buttons."""
        margins = self._row.contentsMargins()
        return (width - margins.left() - margins.right() - _CITY_MARK
                - 3 * self._row.spacing())

    def _fit_pictures(self) -> None:
        """The pictures only where both labels still fit on one line beside them: in a long
        language or at large text they would push a word to a second line, and the header
        would grow (the words alone say it all)."""
        if not self._pictures or self.width() <= 0:
            return
        room = self._beside_mark(self.width()) - self.city.sizeHint().width()
        fits = sum(button.one_line_width(icon_room=button.icon_room())
                   for button in self._pictures) <= room
        for button, picture in self._pictures.items():
            if fits != (not button.icon().isNull()):
                button.setIcon(picture if fits else QIcon())


class StepBar(QWidget):
    """"Step n / 6" and the step's name, six segments, and the furigana and voice toggles."""

    def __init__(self, target: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step-bar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE.frame_side, SPACE.s, SPACE.frame_side, SPACE.s)
        row = self._row = QHBoxLayout()
        self.step = LeadedLabel()
        self.step.setObjectName("step")
        self.step.setProperty("role", "step")
        row.addWidget(self.step, 1)
        # Where no step is shown (the Welcome) the free width is this stretch's, and the
        # toggles keep their own width at the right end.
        row.addStretch(0)
        self.furigana = TouchButton("", target=target, name="furigana")
        self.furigana.setCheckable(True)
        self.voice = TouchButton("", target=target, name="voice")
        self.voice.setCheckable(True)
        row.addWidget(self.furigana)
        row.addWidget(self.voice)
        self._toggles_centred = False
        layout.addLayout(row)
        self._names: list[str] = []     # every step's text in the visit's language
        segments = QHBoxLayout()
        segments.setSpacing(SPACE.s)
        self.segments: list[QWidget] = []
        for _ in STEPS:
            segment = QWidget()
            segment.setFixedHeight(SPACE.s)
            segment.setProperty("step", "todo")
            segments.addWidget(segment)
            self.segments.append(segment)
        self.segment_row = QWidget()
        self.segment_row.setLayout(segments)
        keep_place(self.segment_row)
        keep_place(self.step)
        layout.addWidget(self.segment_row)

    def show_step(self, tr: Translator, number: int | None) -> None:
        """Step ``number`` (1-6) of :data:`STEPS`; ``None`` (the Welcome) shows no step."""
        if number is None:
            self.no_step()
            return
        self._centre_toggles()
        self._keep_room(keep=True)
        self.step.show()
        self.segment_row.show()
        self._names = [tr(N_("Step {number} / {total}  {name}"), number=index,
                          total=len(STEPS), name=tr(name))
                       for index, name in enumerate(STEPS, start=1)]
        self.step.setText(self._names[number - 1])
        self._reserve()
        for index, segment in enumerate(self.segments, start=1):
            state = "done" if index < number else "current" if index == number else "todo"
            if segment.property("step") != state:
                segment.setProperty("step", state)
                segment.style().unpolish(segment)
                segment.style().polish(segment)


    def no_step(self) -> None:
        """No step name and no segments, and no room kept for them (the Welcome, before the
        first step: the design draws its panel right under the header). From one step to the
        next their room is kept, so that nothing moves."""
        self._keep_room(keep=False)
        self.step.hide()
        self.segment_row.hide()

    def _keep_room(self, *, keep: bool) -> None:
        for part in (self.step, self.segment_row):
            policy = part.sizePolicy()
            if policy.retainSizeWhenHidden() != keep:
                policy.setRetainSizeWhenHidden(keep)
                part.setSizePolicy(policy)

    def _centre_toggles(self) -> None:
        # Centred at their own height: a step name of two lines makes the row taller, and
        # toggles stretched with it grew under the visitor's finger. Set when the first step
        # is shown, not when built: the start-up Welcome shows none (its empty step name is
        # lower than the toggles) and is drawn without the Qt namespace (module docstring).
        if self._toggles_centred:
            return
        from PySide6.QtCore import Qt  # noqa: PLC0415

        for toggle in (self.furigana, self.voice):
            self._row.setAlignment(toggle, Qt.AlignmentFlag.AlignVCenter)
        self._toggles_centred = True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Reserve the step names' lines for the new width."""
        super().resizeEvent(event)
        self._reserve()

    def _reserve(self) -> None:
        # As tall as the longest step name needs: a name that wraps on one step only (the
        # PIN at 150 %) would push the whole screen down on that step.
        width = self.step.contentsRect().width()
        if width <= 0 or not self._names:
            return
        margins = self.step.contentsMargins()
        needed = max(self.step.text_height(name, width) for name in self._names) \
            + margins.top() + margins.bottom()
        if self.step.minimumHeight() != needed:
            self.step.setMinimumHeight(needed)


class Footer(QFrame):
    """Back on the left, the step forward on the right, at the same place on every screen.

    The two buttons are made once and only relabelled, renamed (the name the pilot taps) and
    enabled per screen; a screen without one of them leaves its place empty. Their places are
    parts of the footer's width (Back 232, gap 64, forward 440 of 800 px), set here rather than
    by a layout, so that no label, hidden button or text size can shift them.

    A double tap acts once: the first tap changes the screen, and the second would land on
    the next screen's button at the same place (a double-tapped Send ended the visit on the
    ticket screen before the citizen saw their number), so the second press is dropped.

    A frame, so that the style sheet draws its background and top border (Qt's style sheets
    draw them on frames by themselves; a plain widget would need an attribute of the Qt
    namespace, see the module docstring).
    """

    def __init__(self, target: int, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("footer")
        self._theme = theme
        self.back = TouchButton("", target=target, name="back", role="outline", parent=self)
        self.forward = TouchButton("", target=target, name="next", role="primary", parent=self)
        self._button_height = action_height(target)
        self.reserve_two_lines = True     # the tablet turns it off above 150 % text
        self._handlers: dict[TouchButton, Callable[[], None]] = {}
        self._actions: dict[TouchButton, Action] = {}
        self._marks: dict[TouchButton, tuple[Path | None, bool, int]] = {}   # shown now
        self.back.clicked.connect(lambda: self._on_click(self.back))
        self.forward.clicked.connect(lambda: self._on_click(self.forward))
        for button in (self.back, self.forward):
            button.installEventFilter(self)
        self.setMinimumHeight(SIZES.footer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Drop the second press of a double tap (its release then clicks nothing)."""
        if event.type() == QEvent.Type.MouseButtonDblClick:
            return True
        return super().eventFilter(watched, event)

    def present(self, actions: Actions) -> None:
        """Put ``actions`` on the two buttons; a missing one leaves its place empty."""
        for button, action in ((self.back, actions.back), (self.forward, actions.forward)):
            button.setVisible(action is not None)
            if action is None:
                self._handlers.pop(button, None)
                self._actions.pop(button, None)
                continue
            self._handlers[button] = action.handler
            self._actions[button] = action
            button.setObjectName(action.name)
            button.setEnabled(action.enabled)
        self._place()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Place the buttons for the new width."""
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        inner = max(1, self.width() - 2 * SPACE.frame_side)
        whole = _BACK_PART + _GAP_PART + _FORWARD_PART
        back_width = inner * _BACK_PART // whole
        forward_width = inner * _FORWARD_PART // whole
        self._label(self.back, back_width)
        self._label(self.forward, forward_width)
        # A label that wraps (200 % text) makes both buttons taller, never moves them.
        # Room for two lines on every screen: a label of two lines on one screen (a long
        # declaration) must not raise the footer, and Back with it, on that screen only.
        # At 200 % text two reserved lines would take the room of the screen above; there the
        # footer follows its labels (reserve_two_lines is off).
        two_lines = drawn_height(self.forward.font(), [_TALL_LINE] * 2, forward_width) \
            + _TWO_LINE_PAD if self.reserve_two_lines else 0
        height = max(self._button_height, two_lines, self.back.heightForWidth(back_width),
                     self.forward.heightForWidth(forward_width))
        self.back.setGeometry(SPACE.frame_side, SPACE.xl, back_width, height)
        self.forward.setGeometry(self.width() - SPACE.frame_side - forward_width, SPACE.xl,
                                 forward_width, height)
        wanted = max(SIZES.footer, height + 2 * SPACE.xl)
        if self.minimumHeight() != wanted:
            self.setMinimumHeight(wanted)

    def _label(self, button: TouchButton, width: int) -> None:
        """The action's label, or its short one where the label needs more than the two
        reserved lines."""
        action = self._actions.get(button)
        if action is None:
            return
        text = action.text
        if action.short and self.reserve_two_lines \
                and button.lines_for(text, width, icon_room=0) > 2:
            text = action.short
        self._mark(button, action.mark, text, width)
        if button.text() != text:
            button.setText(text)

    def _mark(self, button: TouchButton, mark: str, text: str, width: int) -> None:
        """Put ``mark`` beside the label where it costs no line (at large text a label that
        fits its lines keeps them, and the footer its height); none where it would."""
        picture, after = MARKS.get(mark, ("", False))
        path = picture_path(picture) if picture else None
        # As tall as the label's letters are wide (32 px at 100 %), so that it grows with them.
        side = max(_MARK_PICTURE, QFontInfo(button.font()).pixelSize())
        gap = 0 if after else _PICTURE_GAP
        if path is not None and button.lines_for(text, width, icon_room=side + gap + ICON_GAP) \
                > button.lines_for(text, width, icon_room=0):
            path = None
        if self._marks.get(button) == (path, after, side):
            return
        self._marks[button] = (path, after, side)
        if path is None:
            button.setIcon(QIcon())
            return
        colour = self._theme.accent_text if button is self.forward else self._theme.outline
        # Before the label the picture brings its gap (QPushButton draws it there itself);
        # after it, the button keeps the gap (TouchButton draws it).
        button.setIcon(picture_icon(path, self._theme, side, self.devicePixelRatioF(),
                                    normal=colour, gap=gap))
        button.setIconSize(QSize(side + gap, side))
        button.set_icon_after(after)

    def _on_click(self, button: TouchButton) -> None:
        handler = self._handlers.get(button)
        if handler is not None:
            handler()


class LanguageSheet(QWidget):
    """Every offered language, each written in itself, two columns, the current one ticked.

    Choosing switches at once and keeps the answers; the footer's Back place closes it.
    """

    def __init__(self, languages: tuple[str, ...], target: int,
                 on_language: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("language-sheet")
        self._column = layout = QVBoxLayout(self)
        layout.setContentsMargins(SPACE.frame_side, SPACE.xl, SPACE.frame_side, SPACE.m)
        self.title: QLabel = LeadedLabel()
        self.hint: QLabel = LeadedLabel()
        self._texts_language = ""
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addSpacing(SPACE.l)          # the hint belongs to the title, not to the grid
        grid, self.buttons = language_grid(languages, target=target, current="",
                                           on_language=on_language)
        layout.addLayout(grid)
        layout.addStretch(1)

    def retranslate(self, tr: Translator, code: str) -> None:
        """Texts in the current language, each in the label its language wants (Japanese
        breaks its lines at phrases: Qt's own breaking left 消えませ|ん。); the current
        language's button checked."""
        if code != self._texts_language:
            self._texts_language = code
            self.title = self._retexted(self.title, tr(N_("Choose your language")), code,
                                        "title", "language-sheet-title")
            self.hint = self._retexted(
                self.hint, tr(N_("The screen changes at once. Your answers are kept.")), code,
                "muted", "language-sheet-hint")
        for other, button in self.buttons.items():
            button.setChecked(other == code)

    def _retexted(self, old: QLabel, text: str, code: str, role: str, name: str) -> QLabel:
        new = text_label(text, code)
        new.setProperty("role", role)
        new.setObjectName(name)
        self._column.replaceWidget(old, new)
        old.deleteLater()
        return new

