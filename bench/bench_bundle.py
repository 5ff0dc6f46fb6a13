"""Benchmarks of the Linux bundles (build them first with ``make package``), printed with goals.

Goals (issue 10): bundle size under 250 MB without models; cold start of the bundled app to
its first screen within 1.5 × the start of the same app from the venv.

- size: each flavour (``dist/kiosk`` full, for clerk PCs; ``dist/kiosk-tablet``, for the
  counter tablets and the board, without the translation engine and the speech recognizer),
  each against the goal; Open JTalk's dictionary (``dist/japanese-dictionary``) is a model IT
  installs, printed apart.
- start: ``kiosk tablet --report FILE`` from process start to its first report, written when
  the start-up Welcome is interactive (as ``bench/bench_tablet.py`` measures it), from the venv
  and from each bundle, offscreen, the dictionary installed for all. Also printed: until the
  report says ``ready`` (the tablet has taken over with its services built), which has no goal.
  The first run of each pages the files in and creates the database: not timed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_tablet import _first_report  # noqa: E402 - the same measurement as the venv's

BUNDLES = {"tablet": ROOT / "dist" / "kiosk-tablet", "full": ROOT / "dist" / "kiosk"}
DICTIONARY = ROOT / "dist" / "japanese-dictionary"
GOAL_MB = 250
GOAL_RATIO = 1.5


def _size_mb(folder: Path) -> float:
    # Symlinks (PyInstaller links libraries into _internal) would count their target twice.
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def _line(what: str, figure: str, goal: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("OK" if ok else "MISSED")
    print(f"{what:<46} {figure:>10}   {goal}   {verdict}".rstrip())


def sizes(built: dict[str, Path]) -> None:
    """Print each flavour's size against the goal, and which flavours meet it."""
    met = []
    for flavour, folder in built.items():
        size = _size_mb(folder)
        _line(f"{flavour} bundle size (no models)", f"{size:.0f} MB", f"goal < {GOAL_MB} MB",
              size < GOAL_MB)
        if size < GOAL_MB:
            met.append(flavour)
    if DICTIONARY.is_dir():
        _line("Japanese dictionary (installed apart)", f"{_size_mb(DICTIONARY):.0f} MB")
    print(f"size goal met by: {', '.join(met) or 'no flavour'}")
    engine = built["full"] / "_internal" / "ctranslate2.libs" if "full" in built else None
    if "full" not in met and engine is not None and engine.is_dir():
        print(f"  the full build (clerk PCs) keeps the translation engine and the speech "
              f"recognizer: CTranslate2's library alone is {_size_mb(engine):.0f} MB")


def starts(built: dict[str, Path], runs: int = 5) -> None:
    """Print the start of ``kiosk tablet`` from the venv and from each bundle."""
    commands = {"venv": [sys.executable, "-m", "kiosk"]}
    commands |= {f"{flavour} bundle": [str(folder / "kiosk")] for flavour, folder in built.items()}
    first: dict[str, list[float]] = {name: [] for name in commands}
    ready: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": home,
               "KIOSK_DEVICE_DATA_DIR": str(Path(home) / "data"), "KIOSK_SPEECH_KIND": "off"}
        report = Path(home) / "report.json"
        subprocess.run([*commands["venv"], "i18n", "compile"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        if DICTIONARY.is_dir():
            subprocess.run([*commands["venv"], "models", "install-japanese", str(DICTIONARY)],
                           env=env, check=True, capture_output=True, timeout=300)
        for run in range(runs + 1):
            for name, command in commands.items():     # interleaved: a load spike hits all
                tablet = [*command, "tablet", "--quit-after", "60", "--report", str(report)]
                seconds, _rss, taken_over = _first_report(tablet, report, env, ready=True)
                if run:
                    first[name].append(seconds)
                    ready[name].append(taken_over)
    venv = statistics.median(first["venv"])
    _line(f"venv: tablet to start-up Welcome (median of {runs})", f"{venv:.2f} s")
    for name in commands:
        if name == "venv":
            continue
        bundle = statistics.median(first[name])
        ratio = bundle / venv
        _line(f"{name}: tablet to start-up Welcome", f"{bundle:.2f} s",
              f"ratio {ratio:.2f}   goal <= {GOAL_RATIO}", ratio <= GOAL_RATIO)
    for name in commands:
        _line(f"{name}: tablet taken over (ready)", f"{statistics.median(ready[name]):.2f} s",
              "(no goal)")


def main() -> int:
    """Print the figures (or say that there is no bundle to measure)."""
    print(f"bench_bundle: {os.cpu_count()} CPUs, load average at start "
          + " ".join(f"{value:.2f}" for value in os.getloadavg()))
    built = {flavour: folder for flavour, folder in BUNDLES.items() if (folder / "kiosk").exists()}
    if not built:
        print("bundle: not measured, no bundle in dist/ (run `make package` first)")
        return 0
    missing = sorted(BUNDLES.keys() - built.keys())
    if missing:
        print(f"not built: {', '.join(missing)} (run `make package`)")
    sizes(built)
    starts(built)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
