"""Every kiosk command: private files, no telemetry, crashes logged without personal data, and
no core dumps on the devices (issue 14 §2 and §7)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import textwrap
import threading

import pytest

from kiosk.cli import main
from kiosk.crash_log import describe_crash

NAME = "山田太郎"


def _run_kiosk(*argv: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A fresh process with the usual umask 022, as a shell or systemd starts the kiosk.
    return subprocess.run([sys.executable, "-c", "import os, sys; os.umask(0o022); "
                           "from kiosk.cli import main; sys.exit(main(sys.argv[1:]))", *argv],
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_kiosk_command__umask_022__database_key_and_folders_private(tmp_path):
    data = tmp_path / "data"
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(data), "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}

    result = _run_kiosk("db", "upgrade", env=env)

    assert result.returncode == 0, result.stderr[-2000:]
    created = [data, *data.rglob("*")]
    assert any(path.name == "kiosk.sqlite3" for path in created)
    loose = {str(path.relative_to(tmp_path)): oct(stat.S_IMODE(path.stat().st_mode))
             for path in created if path.stat().st_mode & 0o077}
    assert loose == {}


def _crash(_args: object, _config: object) -> int:
    raise ValueError(f"no resident named {NAME}")


def _crash_in_thread(_args: object, _config: object) -> int:
    thread = threading.Thread(target=_crash, args=(None, None))
    thread.start()
    thread.join()
    return 0


@pytest.mark.parametrize(("handler", "expected"), [
    (_crash, "crash: ValueError at tests.core.test_process_guard:_crash:"),
    (_crash_in_thread, "crash in a thread: ValueError at tests.core.test_process_guard:_crash:"),
])
def test_kiosk_command__crash_with_a_name__log_and_stderr_hold_type_and_place_only(
        monkeypatch, capsys, handler, expected):
    import kiosk.cli.doctor

    monkeypatch.setattr(kiosk.cli.doctor, "run", handler)
    monkeypatch.setenv("KIOSK_DEVICE_DATA_DIR", "/nonexistent")

    code = main(["doctor"])

    captured = capsys.readouterr()        # the log goes to stderr (main configures it)
    assert expected in captured.err
    assert NAME not in captured.out + captured.err
    assert code == (1 if handler is _crash else 0)


def test_describe_crash__chained_frames__places_innermost_last_without_values():
    def inner(secret: str) -> None:
        raise KeyError(secret)

    try:
        inner(NAME)
    except KeyError as exc:
        text = describe_crash(type(exc), exc.__traceback__)

    assert text.startswith("KeyError at tests.core.test_process_guard:")
    assert "inner:" in text.split(" (called from ")[0]
    assert NAME not in text


_REPORT_LIMITS = textwrap.dedent("""
    import ctypes, resource, sys
    import kiosk.cli.{command} as module
    def report(args, config):
        dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)   # PR_GET_DUMPABLE
        print(resource.getrlimit(resource.RLIMIT_CORE), dumpable, flush=True)
        return 0
    module.run = report
    # The tablet reads its configuration itself (the Welcome from [ui] first).
    module.run_reading_config = lambda args: report(args, None)
    from kiosk.cli import main
    sys.exit(main(["{command}"]))
""")


@pytest.mark.parametrize(("command", "expected"), [
    ("tablet", "(0, 0) 0"),
    ("clerk", "(0, 0) 0"),
    ("board", "(0, 0) 0"),
    ("demo", "(0, 0) 0"),
])
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_device_command__started__no_core_dump_and_not_dumpable(tmp_path, command, expected):
    env = {**os.environ, "KIOSK_DEVICE_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", _REPORT_LIMITS.format(command=command)],
                            env=env, capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == expected


def test_kiosk_command__any__onnxruntime_telemetry_switched_off(monkeypatch):
    import kiosk.cli.doctor

    seen: list[str | None] = []
    monkeypatch.setattr(kiosk.cli.doctor, "run",
                        lambda _a, _c: seen.append(os.environ.get("ORT_DISABLE_TELEMETRY")) or 0)
    monkeypatch.delenv("ORT_DISABLE_TELEMETRY", raising=False)

    main(["doctor"])

    assert seen == ["1"]
    assert "ORT_DISABLE_TELEMETRY" not in os.environ     # put back for the tests' own process


def test_configure_logging__exception_logged_with_a_name__file_holds_type_and_place_only(
        tmp_path):
    from kiosk.logging_setup import configure_logging

    configure_logging("INFO", tmp_path / "logs")
    try:
        try:
            _crash(None, None)
        except ValueError:
            logging.getLogger("kiosk.services.retention").exception("retention failed")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    finally:
        configure_logging("WARNING", None)

    assert "retention failed" in text
    assert "ValueError at tests.core.test_process_guard:_crash:" in text
    assert NAME not in text
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
