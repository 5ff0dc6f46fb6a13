"""Benchmark of fees at the counter: the kiosk's own time around a payment, and the daily close.

The terminal is the local stub of docs/payment-terminal-http.md answering at once, so the
figures are the kiosk's overhead (database writes, HTTP round trips, usage log), not the
visitor's time on the terminal. On an embedded SQLite database in a temporary folder.

Goals (set here; the issue gives none for payments):
- a cashless payment through the HTTP terminal, kiosk overhead: median under 50 ms;
- the release gate (quote of an application's fees and payments): median under 10 ms;
- the daily close (日計) of 1,000 payments as XLSX and CSV: under 3 s.

Run: .venv/bin/python bench/bench_payments.py [--payments 200] [--close 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))

from payment_stub import StubTerminal  # type: ignore[import-not-found]

from kiosk.app import build_services
from kiosk.config import load_config
from kiosk.domain.application import Submission
from kiosk.domain.payment import PaymentMethod, new_reference
from kiosk.domain.staff import Role
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored
from kiosk.services.staff import StaffService
from kiosk.storage.sealing import generate_key_text


def _line(name: str, value_ms: float, goal_ms: float) -> bool:
    ok = value_ms < goal_ms
    print(f"{name:<52}{value_ms:8.1f} ms   goal < {goal_ms:.0f} ms   {'met' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=200)
    parser.add_argument("--close", type=int, default=1000)
    args = parser.parse_args()
    print(f"bench_payments: {os.cpu_count()} CPUs, load average at start "
          + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder, StubTerminal() as stub:
        config = load_config(None, environ={
            "KIOSK_DEVICE_DATA_DIR": folder, "KIOSK_DATABASE_ANSWERS_KEY": generate_key_text(),
            "KIOSK_SPEECH_KIND": "off", "KIOSK_PRINTER_KIND": "file",
            "KIOSK_PAYMENT_KIND": "http", "KIOSK_PAYMENT_URL": stub.url})
        services = build_services(config)
        try:
            return _run(services, args)
        finally:
            services.close()


def _run(services, args) -> int:  # type: ignore[no-untyped-def]
    staff = StaffService(services.storage.staff).add("bench", "B", Role.CLERK, "pw-1234567890")
    form = services.forms.form("juminhyo")
    session = sample_session(form, today=services.clock.now().date())
    pay, gate = [], []
    for _ in range(args.payments):
        result = services.submissions.submit(Submission(form.id, form.version, "vi",
                                                        to_stored(session)))
        review = services.review.open(result.application_id, staff)
        review.approve()
        review.print_form()
        started = time.perf_counter()
        services.payments.pay_cashless(review)
        pay.append(time.perf_counter() - started)
        started = time.perf_counter()
        services.review.release_gate(review)
        gate.append(time.perf_counter() - started)
    store, application = services.storage.payments, result.application_id
    for index in range(args.close):
        method = PaymentMethod.CASH if index % 3 else PaymentMethod.CASHLESS
        done = store.create(application, new_reference(), method, 300, (
            ("juminhyo", "juminhyo", 300, 1),), staff.id)
        store.move(done.id, done.status, type(done.status).PAID)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        services.payments.close_day(services.clock.now().date(), Path(out))
    close_s = time.perf_counter() - started
    print(f"{args.payments} cashless payments through the HTTP terminal stub; "
          f"a close of {args.close + args.payments} payments")
    ok = _line("cashless payment, kiosk overhead (median)", statistics.median(pay) * 1000, 50)
    ok &= _line("release gate: fees and payments of one application", statistics.median(gate)
                * 1000, 10)
    ok &= _line(f"daily close of {args.close + args.payments} payments (XLSX + CSV)",
                close_s * 1000, 3000)
    print("all goals met" if ok else "some goals MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
