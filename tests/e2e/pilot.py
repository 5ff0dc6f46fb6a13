"""The pieces of the scripted pilot day (tests/e2e/test_pilot_day.py).

The front ends run as their own processes (:class:`Day`), tapped and clicked with xdotool and
followed through their ``--report`` files; the visits and the counter that do not fit in the
GUI part of the day run through the same services in this process (:func:`visit_in_process`,
:class:`InProcessDesk`), as the tablet and the clerk desktop call them.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from devices.smartcard.simulated_card import load_person
from kiosk.app import Services
from kiosk.domain.staff import StaffMember
from kiosk.procedures.model import FieldType
from kiosk.services.counter_desk import CounterDesk
from kiosk.services.visit import CardOutcome, Stage
from kiosk.ui.citizen.tablet_factory import make_visit

from ..ui.citizen.text_checks import foreign_text, foreign_words
from .reported import Report, ReportedProcess, answer_forms, enter_pin, to_pin_pad

__all__ = ["CARD_PIN", "PRINT_TIMEOUT_S", "Day", "InProcessDesk", "act", "call_next",
           "gui_visit", "personal_leaks", "personal_words", "print_form", "screen_findings",
           "send", "serve", "to_review", "visit_in_process", "window_findings"]

CARD_PIN = "1234"                       # the test person's PIN (persons/plain.toml)

# What a citizen without the card types (made up; the leak check looks for each piece).
_TYPED = {FieldType.NAME: "遠見\u3000次郎", FieldType.READING: "トオミ\u3000ジロウ",
          FieldType.DATE: datetime.date(1990, 5, 6),
          FieldType.ADDRESS: "宮城県登米市東和町米谷字越路99-3",
          FieldType.PHONE: "080-5555-0137", FieldType.YES_NO: True, FieldType.CONSENT: True}


def personal_words() -> list[str]:
    """Pieces of personal data of the day: the card's person and what was typed by hand."""
    person = load_person("plain")
    birth = person.birth_date
    return ["試験", "花子", "シケン", "霞が関", "テスト荘", person.my_number, birth,
            f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", "遠見", "次郎", "トオミ", "ジロウ",
            "越路99", "080-5555-0137", "08055550137", "1990-05-06", "19900506"]


def _text(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True, timeout=60).stdout
    return path.read_bytes().decode("utf-8", errors="replace")


def personal_leaks(root: Path, printed: list[Path]) -> list[tuple[str, str]]:
    """(file, word) of each piece of personal data in a file under ``root`` (logs, reports,
    configuration, leftovers) but the printed forms; fails if the words are not found in
    ``printed`` forms (the check would be blind)."""
    words = personal_words()
    assert any(word in _text(path) for path in printed for word in words), \
        "the check would not see a name"
    leaks = []
    for path in root.rglob("*"):
        if path.is_file() and "printed" not in path.parts:
            text = _text(path)
            leaks += [(path.name, word) for word in words if word in text]
    return leaks


class Day:
    """The processes of the day, each on its own X display, and where they write.

    Every report the clerk desks and the board write is kept in :attr:`seen` (looked at every
    100 ms, as they rewrite it), so that every screen they passed through is checked, not only
    those the script waited on.
    """

    _WATCHED = frozenset({"clerk", "board"})

    def __init__(self, root: Path, configs: dict[str, Path], displays: dict[str, str]) -> None:
        self.root = root
        self.configs = configs
        self.displays = displays
        self.processes: list[ReportedProcess] = []
        self.seen: list[tuple[str, Report]] = []      # (process name, report)
        self._watched: list[ReportedProcess] = []
        self._done = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="report-watch", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        last: dict[str, int] = {}
        while not self._done.wait(0.1):
            for process in list(self._watched):
                report = process.report()
                if report is not None and report.get("sequence") != last.get(process.name):
                    last[process.name] = report["sequence"]
                    self.seen.append((process.name, report))

    def start(self, name: str, role: str, *args: str) -> ReportedProcess:
        """``kiosk <role>`` with the configuration and display of ``name``; a restart of the
        same ``name`` gets a report and log of its own (``name-1``, ``name-2`` ...)."""
        env = {**os.environ, "DISPLAY": self.displays[name], "QT_QPA_PLATFORM": "xcb",
               "HOME": str(self.root)}
        env.pop("KIOSK_DEVICE_DATA_DIR", None)
        number = sum(process.name.startswith(f"{name}#") for process in self.processes)
        label = f"{name}#{number}"
        process = ReportedProcess(
            label, [sys.executable, "-m", "kiosk", "--config", str(self.configs[name]), role,
                    "--quit-after", "600", *args],
            self.root / f"{name}-{number}.json", env, self.root / f"{name}-{number}.log")
        self.processes.append(process)
        if role in self._WATCHED:
            self._watched.append(process)
        return process

    def stop_all(self) -> str:
        """End every process; what they printed."""
        self._done.set()
        self._watcher.join(10)
        return "".join(process.stop() for process in self.processes)


def window_findings(seen: Iterable[tuple[str, Report]]) -> list[str]:
    """Clipped texts, and words not in Japanese, in the clerk desks' and the board's reports
    ``seen`` (see :class:`Day`): both are Japanese screens (the board's call in the visitor's
    language is marked with its languages; personal data is named, never shown)."""
    found: set[str] = set()
    for name, report in seen:
        screen = f"{name} {report.get('page') or 'board'}/{report.get('tab', '')}"
        for text in report.get("texts", []):
            if text["elided"]:
                found.add(f"{screen}: clipped {text['name']} {text['text']!r}")
            if words := foreign_words(text):
                found.add(f"{screen}: not Japanese {words} in {text['name']} {text['text']!r}")
    return sorted(found)


# --------------------------------------------------------------------------- the tablets
def gui_visit(tablet: ReportedProcess, language: str, first_pin: str) -> list[Report]:
    """One citizen at a tablet, with taps only: language, 住民票, card and PIN, answers, the
    ticket. Start, Next (the answers' too), PIN OK, Send and Finish are double taps (each must
    act once). Returns the reports seen while the visit was in ``language`` (from the
    language tap to the ticket)."""
    to_review(tablet, language, first_pin)
    return send(tablet)


def to_review(tablet: ReportedProcess, language: str, first_pin: str) -> None:
    """A citizen from the welcome to the review of their answers (see :func:`gui_visit`);
    the tablet's history holds the reports seen from the language tap on."""
    tablet.wait(lambda r: r["ready"] and r["stage"] == "welcome" and "start" in r["buttons"],
                "the welcome", 60)
    assert f"language-{language}" in tablet.last["buttons"], tablet.last["buttons"]
    tablet.tap_and_wait(f"language-{language}", f"{language} chosen")
    tablet.history = [tablet.last]
    to_pin_pad(tablet, double=True)
    if first_pin != CARD_PIN:
        enter_pin(tablet, first_pin, times=2)
        tablet.wait(lambda r: r["pad"] == "pin" and r["tries_left"] == 2
                    and r.get("pin_typed", 0) == 0, "the wrong PIN refused", 60)
    enter_pin(tablet, CARD_PIN, times=2)
    tablet.wait(lambda r: r["stage"] == "forms", "the card read", 60)
    answer_forms(tablet, double=True)
    tablet.wait(lambda r: r["stage"] == "review" and "submit-print" in r["buttons"], "review")


def send(tablet: ReportedProcess) -> list[Report]:
    """Send from the review (a double tap), see the ticket, finish (a double tap); the
    reports of the visit (see :func:`to_review`)."""
    tablet.tap("submit-print", times=2)
    tablet.wait(lambda r: r["stage"] == "ticket" and "finish" in r["buttons"], "the ticket", 60)
    seen, tablet.history = tablet.history or [], None
    tablet.tap("finish", times=2)
    tablet.wait(lambda r: r["stage"] == "welcome" and "start" in r["buttons"],
                "the next visitor's welcome")
    return seen


_KANA = "[\u3040-\u30ff]"


def screen_findings(reports: Iterable[Report], language: str, where: str) -> list[str]:
    """Clipped texts, and Japanese on a screen in another language (but personal data and
    texts marked with their own language), in ``reports`` of a visit in ``language``: the
    predicates of the every-screen checks (tests/ui/citizen/test_every_screen)."""
    found: set[str] = set()
    for report in reports:
        screen = f"{where} {language} {report['stage']}/{report.get('question') or ''}"
        for text in report.get("texts", []):
            if text["elided"]:
                found.add(f"{screen}: clipped {text['name']} {text['text']!r}")
            if foreign_text(text, language):
                found.add(f"{screen}: Japanese in {text['name']} {text['text']!r}")
    return sorted(found)


def visit_in_process(services: Services, language: str, *, card: bool,
                     first_pin: str = CARD_PIN) -> str:
    """One citizen through the tablet's :class:`~kiosk.services.visit.Visit` (as its screens
    call it), with the card or typing by hand; the ticket's number."""
    visit = make_visit(services)
    visit.start()
    visit.set_language(language)
    visit.toggle("juminhyo")
    visit.confirm_procedures()
    if card:
        if first_pin != CARD_PIN:
            assert visit.card.read(first_pin).outcome is CardOutcome.WRONG_PIN
        assert visit.card.read(CARD_PIN).outcome is CardOutcome.READ
    else:
        visit.card.continue_without()
    while (question := visit.flow.current()) is not None:
        session, field = visit.flow.session_of(question), question.field
        if session.value(field.id) in (None, "", []):
            options = [option.value for option in session.options(field.id)]
            value: Any = _TYPED.get(field.type)
            if field.type is FieldType.SELECT and options:
                value = options[0]
            if value is not None:
                visit.flow.answer(value)
        if session.value(field.id) in (None, "", []) and visit.flow.is_optional(question):
            visit.flow.skip()
        else:
            visit.flow.next()
    assert visit.stage is Stage.REVIEW
    assert not visit.summary.blocking_issues()
    ticket = visit.submit()
    visit.end("finished")
    return ticket.label


# --------------------------------------------------------------------------- the counters
def act(clerk: ReportedProcess, button: str, condition: Callable[[Report], bool],
        what: str, timeout_s: float = 30) -> None:
    """A double click on ``button`` (every action must run once), then wait for ``condition``."""
    clerk.wait(lambda r: button in r["buttons"], f"{button} enabled", timeout_s)
    clerk.click(button, times=2)
    clerk.wait(condition, what, timeout_s)


def call_next(clerk: ReportedProcess) -> str:
    """Call the next ticket (a double click calls once); its number."""
    before = clerk.last["current"]
    act(clerk, "queue-next", lambda r: r["current"] not in (None, before)
        and r["status"] == "in_review", "the next ticket and its application")
    return str(clerk.last["current"])


# The desk reports a print's outcome once CUPS completed the job or the printer failed:
# CupsPrinter follows the job for up to 60 s, and each CUPS command it runs (lp, lpstat,
# cancel) may take up to 20 s more; the form is drawn first.
PRINT_TIMEOUT_S = 150


def print_form(clerk: ReportedProcess) -> None:
    """Print the open application (a double click prints once) and wait for the outcome the
    desk reports, printed or a printer error; it must be printed."""
    failures = clerk.last["print_failures"]
    act(clerk, "review-print", lambda r: r["status"] == "printed"
        or r["print_failures"] > failures, "the print's outcome", PRINT_TIMEOUT_S)
    assert clerk.last["status"] == "printed", \
        f"{clerk.name}: the printer failed ({clerk.last['print_failures']} failures)"


def serve(clerk: ReportedProcess) -> None:
    """Approve, print, finish the application, finish the ticket."""
    act(clerk, "review-approve", lambda r: r["status"] == "approved", "approved")
    print_form(clerk)
    act(clerk, "review-finish", lambda r: r["application"] is None, "application finished")
    act(clerk, "queue-finish", lambda r: r["current"] is None, "ticket finished")


class InProcessDesk:
    """A third counter served through the clerk desktop's services in this process."""

    def __init__(self, services: Services, member: StaffMember) -> None:
        config = services.config
        self.services = services
        self.member = member
        self.desk = CounterDesk(services.queue, services.storage.queue, member,
                                config.device.counter, config.device.services)
        self.served: list[str] = []

    def serve_next(self) -> bool:
        """Call, approve, print, finish; whether a ticket was waiting."""
        ticket = self.desk.call_next()
        if ticket is None:
            return False
        review = self.services.review
        applications = review.applications_for_ticket(ticket.id)
        # Called the moment it entered the line: its application must be there already.
        assert applications, f"{ticket.label} was called before its application was stored"
        for application_id in applications:
            session = review.open(application_id, self.member)
            session.approve()
            session.print_form()
            session.finish()
        self.desk.finish()
        self.served.append(ticket.label)
        return True

    def serve(self, count: int, timeout_s: float = 300,
              given_up: threading.Event | None = None) -> None:
        """Serve ``count`` tickets, waiting for each to be in the line (not once
        ``given_up`` is set: the tickets will not come)."""
        deadline = time.monotonic() + timeout_s
        while len(self.served) < count:
            assert time.monotonic() < deadline, f"served {len(self.served)} of {count}"
            assert given_up is None or not given_up.is_set(), "the day was given up"
            if not self.serve_next():
                time.sleep(0.2)
