"""PySide6's ``__feature__`` import hook is taken out when a front end's QApplication is made:
the modules imported after it are not read again to look for "PySide6"."""

from __future__ import annotations

import builtins
import sys

import pytest

from kiosk.ui.common.plain_import import restore_plain_import
from kiosk.ui.common.qt_app import qt_application

pytestmark = pytest.mark.gui


def test_qt_application__made__python_import_in_place_of_pyside_hook(qapp):
    qt_application()

    assert builtins.__import__ is builtins.__orig_import__
    assert builtins.__import__ is not builtins.__feature_import__


def test_module_imported_after_qt_application__not_scanned_for_pyside(qapp, tmp_path,
                                                                      monkeypatch):
    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.setattr(builtins, "__import__", builtins.__feature_import__)
    (tmp_path / "freshly_written_module.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    qt_application()

    import freshly_written_module

    assert freshly_written_module.VALUE == 1
    assert "freshly_written_module" not in feature.pyside_feature_dict
    monkeypatch.delitem(sys.modules, "freshly_written_module")


def test_hook_in_place__module_imported__scanned(qapp, tmp_path, monkeypatch):
    # The cost the kiosk avoids, seen directly: with PySide6's hook, an import is looked at.
    feature = sys.modules["shibokensupport.feature"]
    monkeypatch.setattr(builtins, "__import__", builtins.__feature_import__)
    (tmp_path / "hooked_module.py").write_text("VALUE = 2\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))

    import hooked_module

    assert hooked_module.VALUE == 2
    assert feature.pyside_feature_dict.get("hooked_module") == -1   # read: no PySide6 in it
    monkeypatch.delitem(sys.modules, "hooked_module")


def test_other_import_replacement__left_alone(qapp, monkeypatch):
    seen: list[str] = []
    original = builtins.__orig_import__

    def watching(name, *args, **kwargs):
        seen.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", watching)

    assert restore_plain_import() is False
    assert builtins.__import__ is watching
