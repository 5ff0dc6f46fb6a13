"""The form catalog cached on disk: the same catalog, private, and never stale."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from kiosk.paths import forms_dir
from kiosk.procedures import catalog_cache
from kiosk.procedures.catalog import FormCatalog, load_catalog
from kiosk.procedures.catalog_cache import cached_catalog, catalog_key


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    """A copy of forms/ that a test may change."""
    return Path(shutil.copytree(forms_dir(), tmp_path / "forms"))


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """The directories actually loaded from their YAML (not read from the cache)."""
    loaded: list[Path | None] = []

    def counting(directory: Path | None = None) -> FormCatalog:
        loaded.append(directory)
        return load_catalog(directory)

    monkeypatch.setattr(catalog_cache, "load_catalog", counting)
    return loaded


def test_cached_catalog__second_start__read_from_the_cache_and_equal(
        forms: Path, tmp_path: Path, loads: list[Path | None]) -> None:
    cache = tmp_path / "data" / "forms.cache"
    cache.parent.mkdir()
    first = cached_catalog(cache, forms)
    second = cached_catalog(cache, forms)
    assert loads == [forms]
    assert second == first == load_catalog(forms)
    assert second is not first
    assert second.form("juminhyo").id == "juminhyo"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_cached_catalog__written__private_to_its_user(forms: Path, tmp_path: Path) -> None:
    cache = tmp_path / "forms.cache"
    cached_catalog(cache, forms)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert list(tmp_path.glob("*.partial")) == []


def test_cached_catalog__form_changed__loaded_again_with_the_change(
        forms: Path, tmp_path: Path, loads: list[Path | None]) -> None:
    cache = tmp_path / "forms.cache"
    before = cached_catalog(cache, forms)
    path = forms / "juminhyo.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("legal_form: 住民基本台帳法 第12条", "legal_form: 第十二条"),
                    encoding="utf-8")
    after = cached_catalog(cache, forms)
    assert loads == [forms, forms]
    assert after == load_catalog(forms) != before
    assert after.form("juminhyo").legal_form.startswith("第十二条")


def test_cached_catalog__form_added_or_removed__key_changes(forms: Path) -> None:
    key = catalog_key(forms)
    (forms / "juminhyo.yaml").rename(forms / "juminhyo2.yaml")
    renamed = catalog_key(forms)
    (forms / "kokuho.yaml").unlink()
    assert len({key, renamed, catalog_key(forms)}) == 3


@pytest.mark.parametrize("damage", [b"", b"garbage", b"kiosk-forms-catalog 1\n"])
def test_cached_catalog__damaged_cache__loaded_afresh_and_repaired(
        forms: Path, tmp_path: Path, loads: list[Path | None], damage: bytes) -> None:
    cache = tmp_path / "forms.cache"
    cached_catalog(cache, forms)
    data = cache.read_bytes()
    cache.write_bytes(damage or data[:len(data) // 2])
    assert cached_catalog(cache, forms) == load_catalog(forms)
    assert cached_catalog(cache, forms) == load_catalog(forms)
    assert loads == [forms, forms]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_cached_catalog__cache_others_may_write__ignored_and_replaced_privately(
        forms: Path, tmp_path: Path, loads: list[Path | None]) -> None:
    cache = tmp_path / "forms.cache"
    cached_catalog(cache, forms)
    cache.chmod(0o666)
    cached_catalog(cache, forms)
    assert loads == [forms, forms]
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def test_cached_catalog__folder_not_writable__catalog_still_loaded(
        forms: Path, tmp_path: Path) -> None:
    cache = tmp_path / "missing" / "forms.cache"
    assert cached_catalog(cache, forms) == load_catalog(forms)
    assert not cache.exists()
