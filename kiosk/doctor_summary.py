"""The doctor's checks as a clerk reads them: one line per area, in the desk's language.

``kiosk doctor`` speaks to IT, in English, one line per check with paths, versions and fixes.
The clerk desktop shows the same checks under its login, where a clerk reads them too: there
each area of the device (printing, card reading, voices ...) is one row, named in the staff
catalog's language, with the worst status of its checks and, when something is wrong, what
that means at the counter. What to fix stays with IT (`kiosk doctor`), never on a clerk's
screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.doctor import Check, Status, overall
from kiosk.i18n import LANGUAGES, S_, Translator, language_name

__all__ = ["AreaSummary", "summarize"]


@dataclass(frozen=True)
class _Area:
    prefixes: tuple[str, ...]    # check names that start so (``"card"``: ``card``, ``card.x``)
    name: str                    # staff message id
    problem: str                 # what a warning or failure there means at the counter


_AREAS: tuple[_Area, ...] = (
    _Area(("kiosk", "build"), S_("Software"),
          S_("The installed software needs checking.")),
    _Area(("qt", "fonts"), S_("Screen and characters"),
          S_("Some characters may not be shown or printed.")),
    _Area(("database", "clock", "conversation"), S_("Shared queue"),
          S_("Tickets and calls may not be shared with the other devices.")),
    _Area(("card",), S_("My Number card reading"),
          S_("Cards may not be read.")),
    _Area(("register",), S_("Resident register lookup"),
          S_("The resident register may not be looked up.")),
    _Area(("printer",), S_("Printing"),
          S_("Forms may not be printed.")),
    _Area(("payment",), S_("Fee payment"),
          S_("The payment terminal may not be usable.")),
    _Area(("signing",), S_("Electronic signature"),
          S_("Forms may not be signed.")),
    _Area(("speech",), S_("Speech"),
          S_("Some announcements may not be spoken.")),
    _Area(("translation", "captions", "visitor_microphone", "models"),
          S_("Conversation translation and captions"),
          S_("Translation or captions of the conversation may not work.")),
    _Area(("disk", "files"), S_("Data storage"),
          S_("The device's data folder needs checking.")),
    _Area(("web",), S_("Public congestion page and notices"),
          S_("The congestion page or notices to citizens may not be updated.")),
    _Area(("export",), S_("Hand-over to the core systems"),
          S_("Applications may not be handed over to the core systems.")),
    _Area(("remote",), S_("Remote counter"),
          S_("Calls with the branch offices may not work.")),
)
_OTHER = _Area((), S_("Other"), S_("Something on this device needs checking."))
_ASK_IT = S_("Ask IT to check this device.")

# Checks whose problem a clerk can be told more plainly than the area's sentence.
_PLAIN: dict[str, str] = {
    "printer.kind": S_("Forms are saved as PDF files, not printed on paper (demo and "
                       "training setting)."),
    "translation.packs": S_("No translation language pack: captions are shown in Japanese "
                            "only."),
    "captions.model": S_("No speech recognition model: the conversation has no captions."),
    "files.data": S_("Other users of this computer may read the kiosk's data folder."),
}
_NO_VOICE = S_("Not spoken, shown as text only: {languages}.")


@dataclass(frozen=True)
class AreaSummary:
    """One row of the clerk's device status: the area, its worst status, what it means."""

    name: str
    status: Status
    detail: str          # empty when every check of the area is ok


def _area_of(name: str) -> _Area:
    for area in _AREAS:
        if any(name == prefix or name.startswith(f"{prefix}.") for prefix in area.prefixes):
            return area
    return _OTHER


def _voice_language(check: Check, tr: Translator) -> str | None:
    """The language (in ``tr``'s language) a ``speech.<bcp47>`` check is about, if any."""
    _, _, tag = check.name.partition(".")
    known = next((lang for lang in LANGUAGES if lang.bcp47 == tag), None)
    return language_name(known.code, tr.code) if known is not None else None


def summarize(checks: Iterable[Check], tr: Translator) -> list[AreaSummary]:
    """The areas ``checks`` cover, in the order they first appear, each summed up in ``tr``'s
    language (never a check's English detail, path or command)."""
    grouped: dict[_Area, list[Check]] = {}
    for check in checks:
        grouped.setdefault(_area_of(check.name), []).append(check)
    return [_summary(area, members, tr) for area, members in grouped.items()]


def _summary(area: _Area, checks: list[Check], tr: Translator) -> AreaSummary:
    status = overall(checks)
    if status is Status.OK:
        return AreaSummary(tr(area.name), status, "")
    sentences: list[str] = []
    silent: list[str] = []
    for check in checks:
        if check.status is Status.OK:
            continue
        voice = _voice_language(check, tr) if check.name.startswith("speech.") else None
        if voice is not None:
            silent.append(voice)
            continue
        sentence = tr(_PLAIN.get(check.name, area.problem))
        if sentence not in sentences:
            sentences.append(sentence)
    if silent:
        sentences.append(tr(_NO_VOICE, languages=tr(S_(", ")).join(silent)))
    sentences.append(tr(_ASK_IT))
    # Japanese (and Chinese) write one sentence after the other without a space.
    space = "" if tr.code.startswith(("ja", "zh")) else " "
    return AreaSummary(tr(area.name), status, space.join(sentences))
