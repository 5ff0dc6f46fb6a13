"""The yearly effect-verification report (効果検証): figures aggregated from the usage logs.

Every figure is a count, a sum or a distribution over events; no record is kept. The plan's
targets it speaks to: writing-free and wait-free counters (share of visits done without
writing, handwritten fields avoided, waiting and service times), translation and captions,
fields handed on to the core systems as data instead of re-keyed (``export.handed_on``,
one record per application and system, written once with the store's row), paper purchases
halved by FY2028 (pages printed) and the convenience-store share of
certificates, 30 % by FY2028 (certificates applied for at the counter by a card holder, who
could have used the store).

How visits are counted: a visit is a ticket issued, plus an application submitted without a
ticket. A visit is *writing-free* when at least one application of it was submitted at the
tablet, *with card* when one of those answers came from the My Number card.

Captions and translation: *caption time* is the time live captions (speech recognition at the
clerk's desk) ran, from the clerk PCs' ``captions.used`` records; *machine-translated lines*
are the lines a device's translator translated, from every device's ``translation.used``
records (phrasebook answers are translated by people in the catalogs and not counted). Each
device records only what it did itself, so the sums count nothing twice.
"""

from __future__ import annotations

import bisect
import functools
import gc
import multiprocessing
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.audit.forms_info import FormInfo
from kiosk.audit.reader import FieldsBlock, LogRecord, Records, file_fields

__all__ = [
    "PARALLEL_FROM_BYTES",
    "WAIT_BUCKETS_MIN",
    "ConversationFigures",
    "Distribution",
    "FieldFigures",
    "UsageReport",
    "build_report",
]

WAIT_BUCKETS_MIN: tuple[int, ...] = (5, 10, 15, 30, 60)
"""Upper edges (minutes) of the histogram buckets; the last bucket is everything above."""


@dataclass(frozen=True)
class Distribution:
    """A distribution of durations in seconds."""

    count: int
    mean: float
    p10: float
    p50: float
    p90: float
    maximum: float
    buckets: tuple[int, ...]       # counts per WAIT_BUCKETS_MIN bucket, plus one above

    @staticmethod
    def of(values: list[float]) -> Distribution:
        """The distribution of ``values`` (all zeros when empty)."""
        if not values:
            return Distribution(0, 0.0, 0.0, 0.0, 0.0, 0.0, (0,) * (len(WAIT_BUCKETS_MIN) + 1))
        ordered = sorted(values)

        def rank(p: float) -> float:
            return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))]

        # A value falls in the first bucket whose edge its minutes are below; in the sorted
        # values the bucket edges are found by bisection on the same minutes (value / 60,
        # monotonic), not by a loop over every value.
        below = [bisect.bisect_left(ordered, float(edge), key=_minutes)
                 for edge in WAIT_BUCKETS_MIN]
        buckets = [b - a for a, b in zip([0, *below], [*below, len(ordered)], strict=True)]
        return Distribution(len(ordered), sum(ordered) / len(ordered), rank(0.1), rank(0.5),
                            rank(0.9), ordered[-1], tuple(buckets))


@dataclass
class FieldFigures:
    """Fields of submitted applications by where they came from (one form or all)."""

    submissions: int = 0
    paper_fields: int = 0        # fields of the paper forms these applications replace
    typed: int = 0
    card: int = 0
    corrected: int = 0
    default: int = 0
    avoided_chars: float = 0.0   # estimate: avoided fields x the form's characters per field

    @property
    def avoided_fields(self) -> int:
        """Paper fields the citizen did not write by hand."""
        return max(0, self.paper_fields - self.typed)


@dataclass
class ConversationFigures:
    """Lines of clerk-visitor conversations in one visitor language (counts only).

    Each device counts the lines said on it, so a line is counted once; ``records`` counts the
    wipes recorded, one per device that took part (not a number of visits).
    """

    records: int = 0
    captions: int = 0        # the clerk's recognised speech
    typed: int = 0
    phrases: int = 0         # phrasebook taps
    translated: int = 0      # lines machine-translated (by the device that recorded them)

    @property
    def lines(self) -> int:
        """Every line, however it came in."""
        return self.captions + self.typed + self.phrases


@dataclass
class UsageReport:
    """All figures of one period."""

    first: date
    last: date
    devices: set[str] = field(default_factory=set)
    records: int = 0
    tickets: Counter[tuple[str, str]] = field(default_factory=Counter)        # (service, month)
    applications: Counter[tuple[str, str]] = field(default_factory=Counter)   # (form, month)
    visits: Counter[str] = field(default_factory=Counter)                     # month
    writing_free_card: Counter[str] = field(default_factory=Counter)          # month
    writing_free_no_card: Counter[str] = field(default_factory=Counter)       # month
    fields: dict[str, FieldFigures] = field(default_factory=dict)             # form id
    waits: dict[str, Distribution] = field(default_factory=dict)              # service
    service_times: dict[str, Distribution] = field(default_factory=dict)      # service
    monthly_waits: dict[str, Distribution] = field(default_factory=dict)      # month
    by_hour: Counter[tuple[int, int]] = field(default_factory=Counter)        # (weekday, hour)
    sessions_by_language: Counter[str] = field(default_factory=Counter)
    submissions_by_language: Counter[str] = field(default_factory=Counter)
    # Seconds live captions ran (clerk PCs), in all, by month and by the visitor's language.
    captions_seconds: float = 0.0
    captions_by_month: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    captions_by_language: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # Lines machine-translated, by (source, target) language and by month.
    translation_uses: Counter[tuple[str, str]] = field(default_factory=Counter)
    translation_by_month: Counter[str] = field(default_factory=Counter)
    conversations: dict[str, ConversationFigures] = field(default_factory=dict)  # language
    pages: Counter[tuple[str, str]] = field(default_factory=Counter)          # (kind, month)
    # Pages filed as city-signed PDFs instead of printed (the paper KPI), by (form, month).
    pages_not_printed: Counter[tuple[str, str]] = field(default_factory=Counter)
    print_failures: int = 0
    card_reads: Counter[bool] = field(default_factory=Counter)
    card_by_month: Counter[tuple[str, bool]] = field(default_factory=Counter)
    card_failures: Counter[str] = field(default_factory=Counter)               # reason
    pin_outcomes: Counter[str] = field(default_factory=Counter)
    certificates: Counter[tuple[str, bool]] = field(default_factory=Counter)   # (form, card)
    certificates_by_month: Counter[tuple[str, bool]] = field(default_factory=Counter)
    clerk_views: int = 0
    clerk_edits: int = 0
    clerk_corrected_fields: int = 0      # fields clerks corrected (of approved applications)
    clerk_actions: Counter[str] = field(default_factory=Counter)   # approved/returned/finished
    return_reasons: Counter[str] = field(default_factory=Counter)
    # Approved applications handed on to the core systems as data (export.handed_on), and the
    # fields in them that nobody re-keys there, by (system, form).
    handed_on: Counter[tuple[str, str]] = field(default_factory=Counter)
    handed_on_fields: Counter[tuple[str, str]] = field(default_factory=Counter)
    # Each device's newest seal (kiosk.audit.sealing): device -> (ts, epoch, file, line, mac).
    last_seals: dict[str, tuple[str, int, str, int, str]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    # Fees taken at the counter (payment.done "paid"), yen by (method, month), and refunds.
    takings: Counter[tuple[str, str]] = field(default_factory=Counter)
    payments: Counter[str] = field(default_factory=Counter)                   # method: count
    refunds: Counter[str] = field(default_factory=Counter)                    # method: yen
    # Reservations (予約): (service, outcome) -> n; outcomes as the store's, plus "served".
    reservations: Counter[tuple[str, str]] = field(default_factory=Counter)
    titles: dict[str, str] = field(default_factory=dict)                       # form -> ja
    system_titles: dict[str, str] = field(default_factory=dict)   # core system id -> ja name

    @property
    def months(self) -> list[str]:
        """Every month with a visit, application or ticket, in order."""
        found = set(self.visits) | {m for _, m in self.tickets} | {m for _, m in self.applications}
        return sorted(found)

    @property
    def total_fields(self) -> FieldFigures:
        """The field figures of every form together."""
        total = FieldFigures()
        for one in self.fields.values():
            for name in ("submissions", "paper_fields", "typed", "card", "corrected", "default",
                         "avoided_chars"):
                setattr(total, name, getattr(total, name) + getattr(one, name))
        return total

    def takings_by_method(self) -> dict[str, int]:
        """Yen taken per method (``cash``, ``cashless``) over the period, refunds included."""
        totals: Counter[str] = Counter()
        for (method, _month), amount in self.takings.items():
            totals[method] += amount
        return dict(totals)

    @property
    def cashless_share(self) -> float | None:
        """Share of the yen taken cashless (``None`` without takings)."""
        totals = self.takings_by_method()
        whole = sum(totals.values())
        return totals.get("cashless", 0) / whole if whole else None

    @property
    def fields_handed_on(self) -> int:
        """Fields handed on to the core systems as data instead of re-keyed, in all."""
        return sum(self.handed_on_fields.values())

    @property
    def card_success_rate(self) -> float | None:
        """Share of card reads that succeeded (``None`` without any read)."""
        total = self.card_reads[True] + self.card_reads[False]
        return self.card_reads[True] / total if total else None


def _minutes(seconds: float) -> float:
    return seconds / 60


@functools.lru_cache(maxsize=4096)
def _weekday(day: str) -> int:
    return date.fromisoformat(day).weekday()


_HANDLERS = {
    "ticket.issued": "ticket_issued", "ticket.called": "ticket_called",
    "ticket.finished": "ticket_finished", "form.submitted": "form_submitted",
    "session.started": "language", "session.language": "language",
    "card.read": "card_read", "card.pin": "pin", "print.done": "printed",
    "document.filed": "filed",
    "captions.used": "captions", "translation.used": "translation",
    "conversation.used": "conversation",
    "clerk.viewed": "clerk_viewed", "clerk.edited": "clerk_edited",
    "clerk.action": "clerk_action", "device.error": "error",
    "payment.done": "payment",
    "export.handed_on": "handed_on",
    "reservation.changed": "reservation",
}
"""Each kind of record the report counts, and the :class:`_Tally` method that counts it."""


class _Tally:
    """Accumulates records; :meth:`finish` turns the raw lists into distributions."""

    def __init__(self, report: UsageReport, forms: Mapping[str, FormInfo]) -> None:
        self.report = report
        self.forms = forms
        self.ticket_month: dict[int, str] = {}
        self.ticket_card: dict[int, bool] = {}          # tickets with a tablet application
        self.wait: dict[int, tuple[str, str, float]] = {}   # ticket -> (service, month, s)
        self.serve: dict[int, tuple[str, float]] = {}
        self.session_language: dict[str, str] = {}     # a visit's language at its end
        # The methods as functions of the class, not bound to this tally: bound methods in a
        # dict of the tally would make a reference cycle, and without the cyclic collector
        # (below) a tally and everything it counted would live until the process ends (a
        # worker then spent a fifth of its time collecting them at exit; issue 18).
        self.handlers: dict[str, Callable[[_Tally, str, dict[str, Any]], None]] = {
            kind: getattr(type(self), name) for kind, name in _HANDLERS.items()}
        self.reserved_tickets: dict[int, str] = {}     # checked-in ticket -> its service
        # Paper fields not written by hand, per form: an integer sum, so that the estimate of
        # characters (x the form's characters per field, a fraction) is the same however the
        # records were split between processes (a sum of fractions depends on its order).
        self.avoided: Counter[str] = Counter()

    def add(self, record: LogRecord) -> None:
        self.report.records += 1
        self.report.devices.add(record.device)
        if record.kind == "log.seal":
            self.report.last_seals[record.device] = (
                record.ts, int(record.data["epoch"]), record.file.name, record.line,
                str(record.data["mac"]))
            return
        handler = self.handlers.get(record.kind)
        if handler is not None:
            handler(self, record.ts, record.data)

    def add_file(self, device: str, file: Path) -> None:
        """What :meth:`add` does for each record of a day file, a block of lines at a time,
        without a :class:`LogRecord` per record."""
        for block in file_fields(file):
            self.add_block(device, file, block)

    def add_block(self, device: str, file: Path, block: FieldsBlock) -> None:
        """:meth:`add_file` for one block of lines (``None`` for a line that is not a record)."""
        records = block.records
        count = len(records) - records.count(None)
        if not count:
            return
        report = self.report
        report.records += count
        report.devices.add(device)
        get = self.handlers.get
        for line, record in enumerate(records, block.first_line):
            if record is None:
                continue
            handler = get(record.kind)
            if handler is not None:
                handler(self, record.ts, record.data)
            elif record.kind == "log.seal":
                data = record.data
                report.last_seals[device] = (record.ts, int(data["epoch"]), file.name, line,
                                             str(data["mac"]))

    def ticket_issued(self, ts: str, data: dict[str, Any]) -> None:
        month = ts[:7]
        self.ticket_month[data["ticket"]] = month
        self.report.tickets[(data["service"], month)] += 1
        self.report.visits[month] += 1
        self.report.by_hour[(_weekday(ts[:10]), int(ts[11:13]))] += 1

    def ticket_called(self, ts: str, data: dict[str, Any]) -> None:
        if not data.get("recall"):
            self.wait[data["ticket"]] = (data["service"], ts[:7], float(data["wait_s"]))

    def ticket_finished(self, _ts: str, data: dict[str, Any]) -> None:
        reserved = self.reserved_tickets.pop(data["ticket"], None)
        if reserved is not None and data["outcome"] == "done":
            self.report.reservations[(reserved, "served")] += 1
        if data["outcome"] == "done" and data.get("service_s") is not None:
            self.serve[data["ticket"]] = (data["service"], float(data["service_s"]))

    def reservation(self, _ts: str, data: dict[str, Any]) -> None:
        # A reservation's figures count it in its latest state, as the store does.
        outcome, service = data["outcome"], data["service"]
        if outcome != "booked":
            self.report.reservations[(service, "booked")] -= 1
        self.report.reservations[(service, outcome)] += 1
        if outcome == "checked_in" and data.get("ticket") is not None:
            self.reserved_tickets[int(data["ticket"])] = service

    def form_submitted(self, ts: str, data: dict[str, Any]) -> None:
        month, form = ts[:7], data["form"]
        report = self.report
        report.applications[(form, month)] += 1
        report.submissions_by_language[data["language"]] += 1
        with_card = data["card_fields"] > 0
        ticket = data.get("ticket")
        if ticket is None:
            report.visits[month] += 1
            (report.writing_free_card if with_card else report.writing_free_no_card)[month] += 1
        else:
            self.ticket_card[ticket] = self.ticket_card.get(ticket, False) or with_card
        info = self.forms.get(form)
        figures = report.fields.get(form)
        if figures is None:     # (not setdefault: it would build a FieldFigures every time)
            figures = report.fields[form] = FieldFigures()
        figures.submissions += 1
        figures.typed += data["typed_fields"]
        figures.card += data["card_fields"]
        figures.corrected += data["corrected_fields"]
        figures.default += data["default_fields"]
        if info is not None:
            figures.paper_fields += info.paper_fields
            self.avoided[form] += max(0, info.paper_fields - data["typed_fields"])
            if info.certificate:
                report.certificates[(form, with_card)] += 1
                report.certificates_by_month[(month, with_card)] += 1

    def language(self, _ts: str, data: dict[str, Any]) -> None:
        # A visit counts once, in the language it ended in (not once per language switched to).
        self.session_language[data["session"]] = data["language"]

    def card_read(self, ts: str, data: dict[str, Any]) -> None:
        ok = bool(data["ok"])
        self.report.card_reads[ok] += 1
        self.report.card_by_month[(ts[:7], ok)] += 1
        if not ok:
            self.report.card_failures[data.get("reason") or "unknown"] += 1

    def pin(self, _ts: str, data: dict[str, Any]) -> None:
        self.report.pin_outcomes[data["outcome"]] += 1

    def printed(self, ts: str, data: dict[str, Any]) -> None:
        if data["ok"]:
            self.report.pages[(data["kind"], ts[:7])] += int(data["pages"])
        else:
            self.report.print_failures += 1

    def filed(self, ts: str, data: dict[str, Any]) -> None:
        if not data.get("test_signature"):      # samples and training are no saved paper
            self.report.pages_not_printed[(data["form"], ts[:7])] += int(data["pages"])

    def captions(self, ts: str, data: dict[str, Any]) -> None:
        seconds = float(data["seconds"])
        self.report.captions_seconds += seconds
        self.report.captions_by_month[ts[:7]] += seconds
        self.report.captions_by_language[data["language"]] += seconds

    def translation(self, ts: str, data: dict[str, Any]) -> None:
        self.report.translation_uses[(data["source"], data["target"])] += int(data["utterances"])
        self.report.translation_by_month[ts[:7]] += int(data["utterances"])

    def conversation(self, _ts: str, data: dict[str, Any]) -> None:
        figures = self.report.conversations.setdefault(data["language"], ConversationFigures())
        figures.records += 1
        figures.captions += int(data["captions_lines"])
        figures.typed += int(data["typed_lines"])
        figures.phrases += int(data["phrase_lines"])
        figures.translated += int(data["translated"])

    def clerk_viewed(self, _ts: str, _data: dict[str, Any]) -> None:
        self.report.clerk_views += 1

    def clerk_edited(self, _ts: str, data: dict[str, Any]) -> None:
        self.report.clerk_edits += 1
        self.report.clerk_corrected_fields += int(data["fields"])

    def clerk_action(self, _ts: str, data: dict[str, Any]) -> None:
        self.report.clerk_actions[data["action"]] += 1
        if data.get("reason"):
            self.report.return_reasons[data["reason"]] += 1

    def payment(self, ts: str, data: dict[str, Any]) -> None:
        if data["outcome"] == "paid":
            self.report.takings[(data["method"], ts[:7])] += int(data["amount"])
            self.report.payments[data["method"]] += 1
        elif data["outcome"] == "refunded":
            self.report.refunds[data["method"]] += int(data["amount"])

    def handed_on(self, _ts: str, data: dict[str, Any]) -> None:
        key = (str(data["system"]), str(data["form"]))
        self.report.handed_on[key] += 1
        self.report.handed_on_fields[key] += int(data["fields"])

    def error(self, _ts: str, data: dict[str, Any]) -> None:
        self.report.errors[data["where"]] += 1

    def merge(self, part: _Part) -> None:
        """Add what a :class:`_ChunkTally` found in the files that follow the ones added so far
        (the result is the same as if this tally had read those files itself)."""
        report, other = self.report, part.report
        report.records += other.records
        report.devices |= other.devices
        for name in _SUMMED:
            setattr(report, name, getattr(report, name) + getattr(other, name))
        for name in _COUNTED:
            getattr(report, name).update(getattr(other, name))
        _add_figures(report.fields, other.fields, FieldFigures)
        _add_figures(report.conversations, other.conversations, ConversationFigures)
        report.last_seals.update(other.last_seals)
        for ts, data in part.captions:      # fractions of seconds: added in the files' order
            self.captions(ts, data)
        # A ticket checked in before these files and finished in them is served there, unless
        # they checked it in again first (the new check-in replaces it, as in one tally).
        for ticket in [t for t in self.reserved_tickets if t in part.first_touch]:
            service = self.reserved_tickets.pop(ticket)
            if part.first_touch[ticket]:
                report.reservations[(service, "served")] += 1
        self.reserved_tickets.update(part.reserved_tickets)
        self.ticket_month.update(part.ticket_month)
        card = self.ticket_card
        for ticket, with_card in part.ticket_card.items():
            card[ticket] = card.get(ticket, False) or with_card
        self.wait.update(part.wait)
        self.serve.update(part.serve)
        self.session_language.update(part.session_language)
        self.avoided.update(part.avoided)

    def finish(self) -> UsageReport:
        report = self.report
        for form, avoided in self.avoided.items():
            info = self.forms.get(form)
            if info is not None:
                report.fields[form].avoided_chars = avoided * info.chars_per_field
        for ticket, with_card in self.ticket_card.items():
            month = self.ticket_month.get(ticket)
            if month is not None:
                (report.writing_free_card if with_card else report.writing_free_no_card)[month] += 1
        waits: dict[str, list[float]] = defaultdict(list)
        monthly: dict[str, list[float]] = defaultdict(list)
        for service, month, seconds in self.wait.values():
            waits[service].append(seconds)
            monthly[month].append(seconds)
        serves: dict[str, list[float]] = defaultdict(list)
        for service, seconds in self.serve.values():
            serves[service].append(seconds)
        report.waits = {code: Distribution.of(v) for code, v in sorted(waits.items())}
        report.monthly_waits = {month: Distribution.of(v) for month, v in sorted(monthly.items())}
        report.service_times = {code: Distribution.of(v) for code, v in sorted(serves.items())}
        report.sessions_by_language.update(self.session_language.values())
        report.titles = {form_id: info.title for form_id, info in self.forms.items()}
        return report


_SUMMED = ("print_failures", "clerk_views", "clerk_edits", "clerk_corrected_fields")
_COUNTED = tuple(f.name for f in fields(UsageReport)
                 if f.name not in ("captions_by_month", "captions_by_language")
                 and f.default_factory is Counter)


def _add_figures(mine: dict[str, Any], other: dict[str, Any], kind: type) -> None:
    names = [f.name for f in fields(kind) if f.type in ("int", int)]
    for key, figures in other.items():
        into = mine.get(key)
        if into is None:
            into = mine[key] = kind()
        for name in names:
            setattr(into, name, getattr(into, name) + getattr(figures, name))


@dataclass
class _Part:
    """What a worker process found in a run of consecutive day files (see :meth:`_Tally.merge`)."""

    report: UsageReport
    ticket_month: dict[int, str]
    ticket_card: dict[int, bool]
    wait: dict[int, tuple[str, str, float]]
    serve: dict[int, tuple[str, float]]
    session_language: dict[str, str]
    reserved_tickets: dict[int, str]
    avoided: Counter[str]
    captions: list[tuple[str, dict[str, Any]]]
    # Each ticket finished or checked in in these files: True / False for a first finish done /
    # not done before any check-in of it here, None for a check-in first.
    first_touch: dict[int, bool | None]


class _ChunkTally(_Tally):
    """A tally of some consecutive files, without what depends on the files before them: the
    captions' seconds are kept for the merge to add in order, and the first finish or check-in
    of each ticket is noted for the reservations checked in before."""

    def __init__(self, forms: Mapping[str, FormInfo]) -> None:
        super().__init__(UsageReport(date.min, date.min), forms)
        self.first_touch: dict[int, bool | None] = {}
        self.caption_records: list[tuple[str, dict[str, Any]]] = []

    def ticket_finished(self, ts: str, data: dict[str, Any]) -> None:
        if data["ticket"] not in self.first_touch:
            self.first_touch[data["ticket"]] = data["outcome"] == "done"
        super().ticket_finished(ts, data)

    def reservation(self, ts: str, data: dict[str, Any]) -> None:
        if data["outcome"] == "checked_in" and data.get("ticket") is not None:
            self.first_touch.setdefault(int(data["ticket"]), None)
        super().reservation(ts, data)

    def captions(self, ts: str, data: dict[str, Any]) -> None:
        self.caption_records.append((ts, data))

    def part(self) -> _Part:
        return _Part(self.report, self.ticket_month, self.ticket_card, self.wait, self.serve,
                     self.session_language, self.reserved_tickets, self.avoided,
                     self.caption_records, self.first_touch)


def _tally_files(job: tuple[list[tuple[str, Path]], Mapping[str, FormInfo]]) -> _Part:
    """A worker process's tally of consecutive day files."""
    files, forms = job
    gc.disable()            # as in build_report
    tally = _ChunkTally(forms)
    for device, path in files:
        tally.add_file(device, path)
    return tally.part()


PARALLEL_FROM_BYTES = 64 * 1024 * 1024
RUNS_PER_WORKER = 6
"""Logs smaller than this are read in this process whatever ``workers`` says."""


def _parts(files: list[tuple[str, Path]], workers: int,
           forms: Mapping[str, FormInfo]) -> Iterator[_Part] | None:
    """The files' tallies in runs of about equal bytes, in order; ``None`` when too small."""
    sizes = [path.stat().st_size for _device, path in files]
    total = sum(sizes)
    if workers < 2 or len(files) < 2 or total < PARALLEL_FROM_BYTES:
        return None
    # Runs of consecutive files: more runs than workers, so that none waits on a long last
    # run, and this process merges each run while the workers read the next ones.
    count = min(len(files), workers * RUNS_PER_WORKER)
    runs: list[list[tuple[str, Path]]] = [[]]
    done = 0
    for item, size in zip(files, sizes, strict=True):
        if done >= total * len(runs) / count and runs[-1]:
            runs.append([])
        runs[-1].append(item)
        done += size
    return _mapped(runs, workers, forms)


def _mapped(runs: list[list[tuple[str, Path]]], workers: int,
            forms: Mapping[str, FormInfo]) -> Iterator[_Part]:
    # Spawned, not forked: the clerk's window (Qt, threads) may ask for a report too.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(workers, len(runs)), mp_context=context) as pool:
        yield from pool.map(_tally_files, [(run, dict(forms)) for run in runs])


def build_report(records: Iterable[LogRecord], first: date, last: date,
                 forms: Mapping[str, FormInfo], *, workers: int = 1) -> UsageReport:
    """Aggregate ``records`` (already limited to ``first``..``last``) into a report.

    ``workers``: processes reading the day files at once when ``records`` comes from
    :func:`~kiosk.audit.reader.iter_records` and the logs are large (the figures are the same
    as with one).
    """
    tally = _Tally(UsageReport(first, last), forms)
    # Without the cyclic collector while aggregating: a year holds millions of parsed
    # records and tallies, none in a cycle (reference counting frees them), and each full
    # collection walks all of them again: 40 % of the time at 2 million records (issue 18).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if isinstance(records, Records) and not records.kinds:
            files = records.files()
            parts = _parts(files, workers, forms)
            if parts is not None:
                for part in parts:
                    tally.merge(part)
            else:
                for device, path in files:      # a file at a time: no LogRecord per record
                    tally.add_file(device, path)
        else:
            for record in records:
                tally.add(record)
        return tally.finish()
    finally:
        if collecting:
            gc.enable()
