"""Each load stage and lint rule, with a table of inline-YAML cases asserting its code."""

from __future__ import annotations

import textwrap

import pytest

from kiosk.procedures.catalog import load_catalog, load_text
from kiosk.procedures.issues import IssueCode, Severity

# A label with text in every first-tier language, so that only the case under test fails.
L = "{ja: あ, ja@easy: あ, en: a, vi: a, zh_Hans: a, ne: a, id: a, tl: a}"


def form_yaml(fields: str, extra: str = "") -> str:
    """A valid procedure with ``fields`` (YAML list items, no indentation) and ``extra`` keys."""
    body = textwrap.indent(textwrap.dedent(fields).strip(), "  ")
    return (f"kind: procedure\nid: sample\nversion: 1.0.0\ntitle: {L}\ndepartment: {L}\n"
            f"counter: '1'\nservice: A\n{textwrap.dedent(extra).strip()}\nfields:\n{body}\n")


TEXT = f"- {{id: a, type: text, label: {L}}}"
SELECT = f"- {{id: kind, type: select, choices: kinds, label: {L}}}"
KINDS = f"choices:\n  kinds:\n    - {{value: x, label: {L}}}\n    - {{value: y, label: {L}}}"


def codes(text: str) -> set[IssueCode]:
    """The codes of every issue ``text`` produces."""
    return {issue.code for issue in load_text(text)[1]}


def test_valid_minimal_form__has__no_issue() -> None:
    assert codes(form_yaml(TEXT)) == set()


CASES = [
    # (case name, YAML, expected code)
    ("duplicate key", form_yaml(TEXT, "counter: '2'"), IssueCode.DUPLICATE_KEY),
    ("root is a list", "- a\n- b\n", IssueCode.NOT_A_MAPPING),
    ("missing id", form_yaml(TEXT).replace("id: sample\n", ""), IssueCode.MISSING_KEY),
    ("unknown top key", form_yaml(TEXT, "colour: red"), IssueCode.UNKNOWN_KEY),
    ("unknown field key", form_yaml(f"- {{id: a, type: text, colour: 1, label: {L}}}"),
     IssueCode.UNKNOWN_KEY),
    ("label not a mapping", form_yaml("- {id: a, type: text, label: plain}"), IssueCode.WRONG_TYPE),
    ("required not yes/no", form_yaml(f"- {{id: a, type: text, required: 3, label: {L}}}"),
     IssueCode.WRONG_TYPE),
    ("bad id", form_yaml(f"- {{id: Bad-Id, type: text, label: {L}}}"), IssueCode.BAD_VALUE),
    ("unknown field type", form_yaml(f"- {{id: a, type: colour, label: {L}}}"),
     IssueCode.UNKNOWN_FIELD_TYPE),
    ("duplicate field id", form_yaml(f"{TEXT}\n{TEXT}"), IssueCode.DUPLICATE_ID),
    ("reference to missing field",
     form_yaml(f"- {{id: a, type: text, visible_if: 'ghost == 1', label: {L}}}"),
     IssueCode.UNKNOWN_REFERENCE),
    ("missing choice list", form_yaml(SELECT), IssueCode.UNKNOWN_CHOICES),
    ("unknown common field", form_yaml("- use: nothing_like_this"), IssueCode.UNKNOWN_COMMON),
    ("unknown fee", form_yaml(f"- {{id: fee_x, type: number, calculate: \"fee('none')\", "
                              f"label: {L}}}"), IssueCode.UNKNOWN_FEE),
    ("expression outside grammar",
     form_yaml(f"- {{id: a, type: text, visible_if: '__import__(\"os\")', label: {L}}}"),
     IssueCode.BAD_EXPRESSION),
    ("never true: constant", form_yaml(f"- {{id: a, type: text, visible_if: 'false', label: {L}}}"),
     IssueCode.NEVER_TRUE),
    ("never true: no such choice",
     form_yaml(f"{SELECT}\n- {{id: b, type: text, visible_if: \"kind == 'z'\", label: {L}}}",
               KINDS), IssueCode.NEVER_TRUE),
    ("never true: contradiction",
     form_yaml(f"{SELECT}\n- {{id: b, type: text, "
               f"required_if: \"kind == 'x' and kind == 'y'\", label: {L}}}", KINDS),
     IssueCode.NEVER_TRUE),
    ("cycle", form_yaml(f"- {{id: a, type: text, visible_if: 'b', label: {L}}}\n"
                        f"- {{id: b, type: text, visible_if: 'a', label: {L}}}"), IssueCode.CYCLE),
    ("self cycle in calculate", form_yaml(f"- {{id: a, type: number, calculate: 'a + 1', "
                                          f"label: {L}}}"), IssueCode.CYCLE),
    ("missing translation", form_yaml("- {id: a, type: text, label: {ja: あ, en: a}}"),
     IssueCode.MISSING_TRANSLATION),
    ("bad furigana", form_yaml(TEXT.replace("ja@easy: あ", "ja@easy: '{漢字|かんじ'")),
     IssueCode.BAD_RUBY),
    ("bad prefill", form_yaml(f"- {{id: a, type: text, prefill: card.shoe_size, label: {L}}}"),
     IssueCode.BAD_PREFILL),
    ("My Number without legal basis", form_yaml(f"- {{id: a, type: my_number, label: {L}}}"),
     IssueCode.MY_NUMBER_WITHOUT_BASIS),
    ("sample overflows its box",
     form_yaml(f"- {{id: a, type: text, print_chars: 4, sample: とても長い住所の例, label: {L}}}"),
     IssueCode.PRINT_OVERFLOW),
    ("print lists no field", form_yaml(TEXT, "print: {title: x, sections: [{title: s, "
                                       "fields: [ghost]}]}"), IssueCode.PRINT_UNKNOWN_FIELD),
    ("page too long", form_yaml("\n".join(f"- {{id: a{i}, type: address, label: {L}}}"
                                          for i in range(30))), IssueCode.PRINT_PAGE_FULL),
    ("effective to before from", form_yaml(TEXT, "effective: {from: 2026-04-01, to: 2025-01-01}"),
     IssueCode.BAD_DATE_RANGE),
    ("version not semantic", form_yaml(TEXT).replace("1.0.0", "v1"), IssueCode.BAD_VERSION),
    ("fee not confirmed", form_yaml(TEXT, f"fees: [{{kind: k, amount: 300, per: copy, "
                                          f"label: {L}}}]"), IssueCode.FEE_UNCONFIRMED),
    ("bad era pattern", form_yaml(TEXT, "era: {pattern: '{nonsense}'}"), IssueCode.BAD_VALUE),
]


@pytest.mark.parametrize(("yaml_text", "expected"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_lint__case__reports_its_code(yaml_text: str, expected: IssueCode) -> None:
    assert expected in codes(yaml_text)


def test_issue__message__names_file_line_and_path() -> None:
    text = form_yaml(f"{TEXT}\n- {{id: b, type: text, visible_if: 'ghost', label: {L}}}")
    issue = next(i for i in load_text(text, "forms/x.yaml")[1]
                 if i.code is IssueCode.UNKNOWN_REFERENCE)
    line = text.splitlines().index(next(x for x in text.splitlines() if "ghost" in x)) + 1
    assert str(issue).startswith(f"forms/x.yaml:{line} (fields.b.visible_if): F030 error:")


@pytest.mark.parametrize(("text", "line"), [
    ("kind: procedure\nid: x\nfields: [\n", 4),
    ("kind: procedure\n  id: x\n", 2),
    ("a: 'unterminated\n", 2),
    ("a: !!python/object:os.system x\n", 1),
], ids=["open bracket", "bad indentation", "open quote", "unsafe tag"])
def test_malformed_yaml__any__gives_f001_with_line(text: str, line: int) -> None:
    issues = load_text(text, "forms/m.yaml")[1]
    assert [i.code for i in issues] == [IssueCode.YAML_SYNTAX]
    assert issues[0].location.line == line


def test_unconfirmed_fee__severity__is_warning_not_error() -> None:
    assert IssueCode.FEE_UNCONFIRMED.severity is Severity.WARNING


def test_codes__every_code__is_unique() -> None:
    values = [code.code for code in IssueCode]
    assert len(values) == len(set(values))


BUNDLE = (f"kind: bundle\nid: b\nversion: 1.0.0\ntitle: {L}\n"
          f"questions:\n  - {{id: q, type: yes_no, label: {L}}}\n")


@pytest.mark.parametrize(("rules", "expected"), [
    (f"  - {{procedure: nothing, reason: {L}}}", IssueCode.UNKNOWN_PROCEDURE),
    (f"  - {{procedure: p, when: 'ghost', reason: {L}}}", IssueCode.UNKNOWN_REFERENCE),
    ("  - {procedure: p, reason: {ja: x}}", IssueCode.MISSING_TRANSLATION),
], ids=["unknown procedure", "unknown question", "reason untranslated"])
def test_bundle_lint__case__reports_its_code(tmp_path: object, rules: str,
                                             expected: IssueCode) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    (directory / "p.yaml").write_text(form_yaml(TEXT).replace("id: sample", "id: p"),
                                      encoding="utf-8")
    (directory / "b.yaml").write_text(BUNDLE + "procedures:\n" + rules + "\n", encoding="utf-8")
    assert expected in {issue.code for issue in load_catalog(directory).issues}


def test_catalog__same_id_in_two_files__reports_duplicate_form(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    for name in ("a.yaml", "b.yaml"):
        (directory / name).write_text(form_yaml(TEXT), encoding="utf-8")
    assert IssueCode.DUPLICATE_FORM in {i.code for i in load_catalog(directory).issues}


def test_catalog__same_field_labelled_differently__warns(tmp_path: object) -> None:
    from pathlib import Path

    directory = Path(str(tmp_path))
    (directory / "a.yaml").write_text(form_yaml(TEXT), encoding="utf-8")
    (directory / "b.yaml").write_text(form_yaml(TEXT.replace("en: a", "en: other")).replace(
        "id: sample", "id: other"), encoding="utf-8")
    assert IssueCode.INCONSISTENT_LABEL in {i.code for i in load_catalog(directory).issues}
