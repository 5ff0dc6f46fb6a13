"""A front end run as its own process, seen through its ``--report`` file, clicked with xdotool."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Report = dict[str, Any]

__all__ = ["Report", "ReportReader", "ReportedProcess", "Tablet", "answer_forms", "device_config",
           "enter_pin", "to_pin_pad"]


_DOUBLE_TAP_S = 0.6      # more than Qt's double-click interval (400 ms on X)
_SAME_PLACE_PX = 10       # more than Qt's double-click distance


class ReportReader:
    """A running front end process seen through its report file."""

    def __init__(self, name: str, report: Path, env: dict[str, str],
                 process: subprocess.Popen[Any]) -> None:
        self.name = name
        self.report_path = report
        self.env = env
        self.process = process
        self.last: Report = {"sequence": 0}
        # Every report seen while waiting, when a list is set here (screens a visit passed).
        self.history: list[Report] | None = None
        self._last_tap = (0.0, -1, -1)         # when and where the last tap ended

    def report(self) -> Report | None:
        """The report as last written, or ``None`` before the first one."""
        try:
            return json.loads(self.report_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return None

    def output(self) -> str:
        """What the process printed so far (nothing known here)."""
        return ""

    def wait(self, condition: Callable[[Report], bool], what: str, timeout_s: float = 30) -> Report:
        """Wait until the report satisfies ``condition``; fails if the process ends first."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, \
                f"{self.name} ended while waiting for {what}: {self.output()[-2000:]}"
            report = self.report()
            if report is not None and self.history is not None and \
                    report["sequence"] > (self.history[-1]["sequence"] if self.history else 0):
                self.history.append(report)
            if report is not None and condition(report):
                self.last = report
                return report
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: timed out waiting for {what}; last {self.report()}")

    def tap(self, name: str, *, times: int = 1) -> Report:
        """Tap the button ``name`` of the last report (``times`` in a row: a double tap)."""
        before = self.last
        x, y = before["buttons"][name]
        # Two taps on one place within the double-click time are one double tap to the
        # screen: a new intention waits that long, as a person's next tap does.
        when, last_x, last_y = self._last_tap
        if abs(x - last_x) <= _SAME_PLACE_PX and abs(y - last_y) <= _SAME_PLACE_PX:
            time.sleep(max(0.0, when + _DOUBLE_TAP_S - time.monotonic()))
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "--repeat", str(times),
                        "--delay", "60", "1"], env=self.env, check=True, timeout=10)
        self._last_tap = (time.monotonic(), x, y)
        return before

    def tap_and_wait(self, name: str, what: str, *, stage: str = "", button: str = "",
                     times: int = 1) -> Report:
        """Tap ``name`` (``times`` in a row), then wait for a new report (on ``stage``,
        showing ``button``)."""
        before = self.tap(name, times=times)
        return self.wait(lambda r: r["sequence"] > before["sequence"]
                         and (not stage or r["stage"] == stage)
                         and (not button or button in r["buttons"]), f"{what} after {name}")

    def scroll_to(self, name: str, what: str) -> Report:
        """Scroll the screen down (the mouse wheel, as a swipe) until ``name`` is on screen."""
        for _ in range(40):
            report = self.report() or self.last
            if name in report["buttons"]:
                self.last = report
                return report
            # Five wheel steps (some 300 px, less than the screen: a button cannot pass
            # unseen), then the report of the scrolled screen (its buttons moved).
            subprocess.run(["xdotool", "mousemove", "960", "600", "click", "--repeat", "5",
                            "--delay", "20", "5"], env=self.env, check=True, timeout=10)
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline and \
                    (self.report() or report)["sequence"] <= report["sequence"]:
                time.sleep(0.05)
        raise AssertionError(f"{name} never came on screen for {what}; last {self.report()}")


class Tablet(ReportReader):
    """The tablet process, seen through its ``--report`` file and tapped with xdotool."""

    def __init__(self, report: Path, env: dict[str, str], process: subprocess.Popen[Any]) -> None:
        super().__init__("the tablet", report, env, process)


def answer_forms(tablet: ReportReader, *, double: bool = False) -> None:
    """Every question of 住民票の写し with taps only: confirm, skip, default, first option.

    Each tap waits for what it must change (the option checked, the next question on screen),
    so a report written half-way through a change is never taken for the next question.
    ``double``: Next is a double tap, and must move on by exactly one screen: the question
    index one more (past the run of settled questions a screen shows at once; or the review
    after the last question), and still the same once the second tap had its time to act.
    """
    doubled: Report | None = None           # the screen a double tap on Next moved to
    for _ in range(30):
        report = tablet.wait(lambda r: r["stage"] != "forms" or "next" in r["buttons"]
                             or "skip" in r["buttons"] or "reading-confirm" in r["buttons"],
                             "a question to answer")
        if doubled is not None:
            report = _after_double_tap(tablet, doubled)
            doubled = None
        if report["stage"] != "forms":
            return
        buttons, question = report["buttons"], report["question"]
        step = next((name for name in ("reading-confirm", "skip") if name in buttons), "next")
        if step == "next":
            options = sorted(name for name in buttons if name.startswith("option-"))
            wanted = "yes" if question == "consent_truth" else \
                options[0] if question == "purpose" and options else ""
            if wanted and wanted not in report["checked"]:
                tablet.tap(wanted)
                tablet.wait(lambda r, w=wanted: w in r["checked"] and "next" in r["buttons"],
                            f"{wanted} chosen for {question}")
        times = 2 if double and step == "next" else 1
        tablet.tap(step, times=times)
        after = tablet.wait(lambda r, q=question: r["stage"] != "forms" or r["question"] != q,
                            f"the question after {question}")
        if times == 2:
            # One screen on: the next question, or past the settled run the screen showed.
            assert after["stage"] != "forms" or after["question_index"] == \
                report["question_index"] + report["question_span"], \
                f"a double tap on Next at {question} (#{report['question_index']}, " \
                f"{report['question_span']} shown) showed {after['question']} " \
                f"(#{after['question_index']})"
            doubled = after
    raise AssertionError("the forms never ended")


def _after_double_tap(tablet: ReportReader, after: Report) -> Report:
    """The screen once a double tap's second tap had the time to act (a person's next tap
    comes no sooner): still ``after``, the screen the first tap moved to."""
    when, _x, _y = tablet._last_tap
    time.sleep(max(0.0, when + _DOUBLE_TAP_S - time.monotonic()))
    now = tablet.wait(lambda r: r["sequence"] >= after["sequence"], "the screen after")
    assert (now["stage"], now["question"]) == (after["stage"], after["question"]), \
        f"the second tap on Next acted too: {after['question']} became {now['question']}"
    return now


def to_pin_pad(tablet: ReportReader, *, double: bool = False) -> None:
    """From the welcome: start, scroll to 住民票 (43 procedures), choose it, use the card.
    ``double``: Start and Next are double taps (each moves one screen on: the screen after
    is waited for, and the next step needs it)."""
    times = 2 if double else 1
    tablet.tap_and_wait("start", "choose", stage="choose", times=times)
    tablet.scroll_to("procedure-juminhyo", "the procedure list")
    tablet.tap_and_wait("procedure-juminhyo", "juminhyo chosen", button="next")
    tablet.tap_and_wait("next", "identify", stage="identify", button="use-card", times=times)
    tablet.tap_and_wait("use-card", "the PIN pad", button="key-1")


def enter_pin(tablet: ReportReader, pin: str, *, times: int = 1) -> None:
    """Type ``pin`` on the pad, each digit seen on the pad before the next, and send it
    (OK tapped ``times`` in a row: a double tap sends once)."""
    tablet.wait(lambda r: r.get("pin_typed", 0) == 0 and "key-1" in r["buttons"], "an empty pad")
    for typed, key in enumerate(pin, start=1):
        tablet.tap(f"key-{key}")
        tablet.wait(lambda r, n=typed: r.get("pin_typed", n) == n, f"digit {typed} typed")
    tablet.wait(lambda r: "pin-ok" in r["buttons"], "PIN complete")
    tablet.tap("pin-ok", times=times)


def device_config(root: Path, role: str, url: str, key: str, extra: str = "", *,
                  name: str = "", counter: str = "1番窓口", services: tuple[str, ...] = ("A",),
                  printer: str = 'kind = "file"') -> Path:
    """``<root>/<name>.toml``: device ``<name>-01`` in role ``role`` (``name`` defaults to the
    role) of ``counter`` calling ``services`` on ``url``, no voice, printing as ``printer``
    says (to files), data in ``<root>/<name>``; ``extra`` TOML appended."""
    name = name or role
    path = root / f"{name}.toml"
    codes = ", ".join(f'"{code}"' for code in services)
    path.write_text(f"""
[device]
role = "{role}"
id = "{name}-01"
counter = "{counter}"
services = [{codes}]
data_dir = "{root / name}"
[database]
url = "{url}"
answers_key = "{key}"
[speech]
kind = "off"
[printer]
{printer}
{extra}""", encoding="utf-8")
    return path


class ReportedProcess(ReportReader):
    """``kiosk <role> --report FILE`` on an X display; waits on the report, clicks and types."""

    def __init__(self, name: str, command: list[str], report: Path, env: dict[str, str],
                 log: Path) -> None:
        self.log = log
        self._log_file = log.open("w", encoding="utf-8")
        super().__init__(name, report, env,
                         subprocess.Popen([*command, "--report", str(report)], env=env,
                                          stdout=self._log_file, stderr=subprocess.STDOUT))

    def click(self, name: str, *, times: int = 1) -> None:
        """Click the button (or field) ``name`` of the last report ``times`` times in a row."""
        places = {**self.last.get("fields", {}), **self.last["buttons"]}
        x, y = places[name]
        self.xdotool("mousemove", str(x), str(y), "click", "--repeat", str(times),
                     "--delay", "60", "1")

    def log_in(self, login: str, password: str, *, desk: str = "queue-next") -> Report:
        """Sign in on the clerk desktop's login page (a double click); the desk's first
        report, once it shows the button ``desk`` (a counter's call; an auditor's verify)."""
        self.wait(lambda r: r["page"] == "login" and "login-id" in r["fields"], "the login", 60)
        self.type_into("login-id", login)
        self.type_into("login-password", password)
        # A double click signs in once, and its second click acts on nothing of the desk
        # (the pilot day counts the logins in the usage log).
        self.click("login-submit", times=2)
        shown = self.wait(lambda r: r["page"] == "desk" and desk in r["buttons"], "the desk")
        assert shown["current"] is None, shown["current"]
        return shown

    def type_into(self, field: str, text: str) -> None:
        """Click the field ``field`` and type ``text`` over what it holds (not personal:
        staff test accounts)."""
        self.click(field)
        self.xdotool("key", "ctrl+a")
        self.xdotool("type", "--delay", "20", text)

    def xdotool(self, *args: str) -> None:
        """Run xdotool on this process's display."""
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=20)

    def stop(self) -> str:
        """End the process (SIGTERM, then SIGKILL) and return what it printed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log_file.close()
        return self.output()

    def kill(self) -> None:
        """Kill the process at once, as a power cut or a crash would."""
        self.process.kill()
        self.process.wait(10)

    def output(self) -> str:
        """What the process printed so far."""
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")
