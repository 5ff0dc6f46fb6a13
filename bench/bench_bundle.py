"""Benchmarks of the Linux bundle (build it first with ``make package``), printed with goals.

Goals: bundle size under 250 MB without models; cold start of the bundled app to its first
windows within 1.5 × the start of the same app from the venv. "Start" is the wall time of
``kiosk demo --quit-after 0.05`` (the windows are built and shown, then it quits), offscreen.
Open JTalk's dictionary is a model IT installs (``dist/japanese-dictionary``): its size is
printed apart, and it is installed for the start measurement so both runs load the same.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "kiosk"
DICTIONARY = ROOT / "dist" / "japanese-dictionary"


def _size_mb(folder: Path) -> float:
    # Symlinks (PyInstaller links libraries into _internal) would count their target twice.
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def _start_seconds(command: list[str], runs: int = 3) -> float:
    times = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": home,
               "KIOSK_DEVICE_DATA_DIR": str(Path(home) / "data")}
        if DICTIONARY.is_dir():
            subprocess.run([*command, "models", "install-japanese", str(DICTIONARY)], env=env,
                           check=True, capture_output=True, timeout=300)
        for run in range(runs + 1):
            started = time.perf_counter()
            subprocess.run([*command, "demo", "--quit-after", "0.05"], env=env, check=True,
                           capture_output=True, timeout=300)
            if run:     # the first run pages the files in; both are then measured warm
                times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    """Print the figures (or say that there is no bundle to measure)."""
    if not (BUNDLE / "kiosk").exists():
        print("bundle: not measured, no bundle in dist/kiosk (run `make package` first)")
        return 0
    size = _size_mb(BUNDLE)
    print(f"{'bundle size (no models)':<40} {size:8.0f} MB   goal < 250 MB   "
          f"{'OK' if size < 250 else 'MISSED'}")
    if DICTIONARY.is_dir():
        print(f"{'Japanese dictionary (installed apart)':<40} {_size_mb(DICTIONARY):8.0f} MB")
    venv = _start_seconds([sys.executable, "-m", "kiosk"])
    bundle = _start_seconds([str(BUNDLE / "kiosk")])
    ratio = bundle / venv
    print(f"{'start from the venv (median of 3)':<40} {venv:8.2f} s")
    print(f"{'start of the bundle (median of 3)':<40} {bundle:8.2f} s   ratio {ratio:.2f}   "
          f"goal <= 1.5   {'OK' if ratio <= 1.5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
