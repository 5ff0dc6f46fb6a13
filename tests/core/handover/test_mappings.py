"""Mapping files: the bundled ones fit every bundled form; broken ones are named by file:key;
every bundled procedure exports a record that its mapping describes exactly."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tomllib
from datetime import UTC, date, datetime

import pytest

from kiosk.handover import build_batch, build_record, check_mappings, load_mappings, uncovered
from kiosk.handover.convert import format_date_for
from kiosk.handover.document import BEGIN, END, item_tables
from kiosk.handover.mapping import MappingIssue, TargetSystem, mappings_dir
from kiosk.handover.records import GETA, csv_columns
from kiosk.procedures.catalog import load_catalog
from kiosk.procedures.model import FieldType
from kiosk.procedures.sample import sample_session
from kiosk.procedures.stored import to_stored

CATALOG = load_catalog()
MAPPINGS = load_mappings()
APPROVED = datetime(2026, 4, 1, 1, 0, tzinfo=UTC)
_DATE_PATTERNS = {"iso": r"\d{4}-\d\d-\d\d", "western8": r"\d{8}", "wareki7": r"[1-9]\d{6}",
                  "wareki_text": r"(明治|大正|昭和|平成|令和)\d+年\d+月\d+日"}


def test_bundled_mappings__checked_against_every_form__no_problem():
    assert [str(problem) for problem in check_mappings(MAPPINGS, CATALOG.forms)] == []


def test_bundled_mappings__every_bundled_procedure__goes_to_a_core_system():
    assert uncovered(MAPPINGS, CATALOG.forms) == []


@pytest.mark.parametrize(("style", "eras", "day", "expected"), [
    ("wareki7", "juki", date(1993, 1, 1), "4050101"),           # 平成5年1月1日, the issue's example
    ("wareki7", "shakai_hoken", date(1993, 1, 1), "7050101"),
    ("wareki7", "juki", date(2019, 5, 1), "5010501"),            # 令和元年
    ("wareki7", "juki", date(2019, 4, 30), "4310430"),           # the last day of 平成
    ("western8", "juki", date(2026, 4, 1), "20260401"),
    ("iso", "juki", date(2026, 4, 1), "2026-04-01"),
    ("wareki_text", "juki", date(1989, 1, 8), "平成1年1月8日"),
])
def test_format_date_for__style_and_era_codes__as_the_system_writes_it(style, eras, day, expected):
    tables = tomllib.loads((mappings_dir() / "eras.toml").read_text(encoding="utf-8"))
    system = TargetSystem("t", "t", "", "t.toml", dates=style, eras=tables[eras])

    assert format_date_for(system, day) == expected


_GOOD = """name = "t"
dates = "western8"
[common]
skip = ["consent_truth"]
applicant_name = "氏名"
[procedures.juminhyo]
"""


@pytest.mark.parametrize(("text", "code", "key"), [
    ("name = \"t\"\n[procedures.nosuch]\n", MappingIssue.UNKNOWN_PROCEDURE, "procedures.nosuch"),
    (_GOOD + "nosuch = \"x\"\n", MappingIssue.UNKNOWN_FIELD, "procedures.juminhyo.nosuch"),
    (_GOOD, MappingIssue.UNMAPPED_FIELD, "procedures.juminhyo.scope"),
    (_GOOD + "phone = { item = \"電話\", codes = { a = \"1\" } }\n", MappingIssue.BAD_CODES,
     "procedures.juminhyo.phone.codes"),
    (_GOOD + "scope = { item = \"範囲\", codes = { all = \"1\" } }\n", MappingIssue.BAD_CODES,
     "procedures.juminhyo.scope.codes"),
    (_GOOD + "phone = \"氏名\"\n", MappingIssue.DUPLICATE_ITEM, "procedures.juminhyo"),
    (_GOOD.replace("western8", "japanese"), MappingIssue.BAD_VALUE, "dates"),
    ("name = \"t\"\n[procedures.juminhyo\n", MappingIssue.UNREADABLE, ""),
])
def test_check_mappings__broken_file__problem_named_by_file_and_key(tmp_path, text, code, key):
    (tmp_path / "eras.toml").write_text('[juki]\n"令和" = 5\n', encoding="utf-8")
    (tmp_path / "t.toml").write_text(text, encoding="utf-8")

    problems = check_mappings(load_mappings(tmp_path), CATALOG.forms)

    assert (code, "forms/export/t.toml", key) in {(p.code, p.file, p.key) for p in problems}


def _exports():
    for form in CATALOG.forms.values():
        for system in MAPPINGS.for_procedure(form.id):
            yield pytest.param(form.id, system.id, id=f"{form.id}-{system.id}")


@pytest.mark.parametrize(("form_id", "system_id"), list(_exports()))
def test_export__every_bundled_procedure__validated_against_its_mapping(form_id, system_id):
    form, system = CATALOG.forms[form_id], MAPPINGS.systems[system_id]
    mapping = system.procedures[form_id]
    answers = {k: a.value for k, a in to_stored(sample_session(form)).items()}

    batch = build_batch(build_record(system, form, answers, 41, APPROVED), APPROVED)

    document = json.loads(batch.files[0].data)
    expected = [mapping.items[f.id].item for f in form.fields
                if f.type.holds_value and f.id not in mapping.skip]
    assert list(document["items"]) == expected
    assert (document["system"], document["procedure"], document["application"]) == (
        system_id, form_id, 41)
    for item in form.fields:
        value = document["items"].get(mapping.items[item.id].item) if item.id in mapping.items \
            else None
        if item.type is FieldType.DATE and value:
            assert re.fullmatch(_DATE_PATTERNS[system.dates], value), item.id
        if item.type is FieldType.SELECT and value and mapping.items[item.id].codes:
            assert value in mapping.items[item.id].codes.values()
    rows = list(csv.reader(io.StringIO(batch.files[1].data.decode(system.encoding))))
    assert rows[0] == ["申請番号", "手続", *[c for c, _, _ in csv_columns(form, mapping)]]
    assert len(rows) == 2
    assert len(rows[1]) == len(rows[0])
    manifest = json.loads(batch.manifest.data)
    assert [(e["name"], e["sha256"], e["bytes"]) for e in manifest["files"]] == [
        (f.name, hashlib.sha256(f.data).hexdigest(), len(f.data)) for f in batch.files]
    assert manifest["fields"] > 0


def test_export__rare_character_to_shift_jis__geta_written_and_counted():
    form, system = CATALOG.forms["shotoku"], MAPPINGS.systems["kojin_juminzei"]
    answers = {k: a.value for k, a in to_stored(sample_session(form)).items()}
    answers["applicant_name"] = "𠮷田\u3000花子"        # 𠮷 (U+20BB7) is not in Shift_JIS

    batch = build_batch(build_record(system, form, answers, 7, APPROVED), APPROVED)

    assert GETA + "田" in batch.files[1].data.decode("cp932")
    assert "𠮷田" in batch.files[0].data.decode("utf-8")       # JSON keeps the real character
    assert json.loads(batch.manifest.data)["unencodable_cells"] == 1


def test_forms_export_readme__item_tables__current_with_the_mappings():
    readme = (mappings_dir() / "README.md").read_text(encoding="utf-8")

    tables = readme[readme.index(BEGIN):readme.index(END) + len(END)] + "\n"

    assert tables == item_tables(MAPPINGS, CATALOG.forms), \
        "run: kiosk export --document, and paste it into forms/export/README.md"


def test_export_files__names__hold_no_personal_data():
    form, system = CATALOG.forms["idou"], MAPPINGS.systems["juki"]
    answers = {k: a.value for k, a in to_stored(sample_session(form)).items()}

    batch = build_batch(build_record(system, form, answers, 41, APPROVED), APPROVED)

    names = [f.name for f in (*batch.files, batch.manifest)]
    assert all(re.fullmatch(r"\d{8}_idou_00000041\.(json|csv|manifest\.json)", n) for n in names)
    assert "花子" not in repr(batch)
    assert "花子" not in repr(
        build_record(system, form, answers, 41, APPROVED))
