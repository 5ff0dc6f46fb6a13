"""Printed forms and receipts: fonts embedded, 外字 fallback, hand-write boxes, era dates, and
identical rendering on a machine without any font (pdftoppm with an empty fontconfig)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from devices.printer.pdf_render import RenderReport, render_application, render_receipt, render_slip
from kiosk import fonts
from kiosk.domain.ticket import Ticket, TicketState
from kiosk.i18n import FIRST_TIER
from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.printing import fill_form
from kiosk.procedures.receipt import build_receipt, build_slip
from kiosk.procedures.sample import sample_session
from kiosk.procedures.session import Provenance

RARE = "\U00020bb7"          # 𠮷: in IPAmj Mincho, not in BIZ UD
NO_FONT = "\U00030000"       # CJK extension G: in none of the kiosk's fonts


def _pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _render(catalog: FormCatalog, form_id: str, tmp_path: Path,
            name: str | None = None) -> tuple[Path, RenderReport]:
    session = sample_session(catalog.form(form_id), today=date(2026, 4, 1))
    if name is not None:
        session.set("applicant_name", name, by=Provenance.CLERK, reason="外字の確認")
    out = tmp_path / f"{form_id}.pdf"
    return out, render_application(fill_form(session), out)


@pytest.mark.parametrize("form_id", ["juminhyo", "koseki", "idou", "kokuho", "jidou_teate",
                                     "inkan_toroku", "inkan_shomei", "shotoku"])
def test_application_pdf__every_form__embeds_every_font(catalog: FormCatalog, form_id: str,
                                                        tmp_path: Path) -> None:
    pdf, report = _render(catalog, form_id, tmp_path)
    rows = _pdffonts(pdf)
    assert rows, "no font in the PDF"
    # columns: name type encoding emb sub uni id gen; CID fonts and unembedded fonts are bugs
    assert all(row[1] == "TrueType" and row[-5] == "yes" for row in rows), rows
    assert not report.needs_clerk


def test_application_pdf__sample__shows_era_date_and_card_mark(catalog: FormCatalog,
                                                               tmp_path: Path) -> None:
    pdf, _ = _render(catalog, "juminhyo", tmp_path)
    text = _text(pdf)
    assert "令和8年4月1日" in text         # date of application in the form's era style
    assert "平成元年1月8日" in text        # card birth date 1989-01-08
    assert "カード読取" in text


def test_application_pdf__rare_kanji__uses_ipamj_without_handwrite(catalog: FormCatalog,
                                                                   tmp_path: Path) -> None:
    fallback = fonts.fallback_face()
    assert fallback is not None, "IPAmj Mincho must be installed"
    assert fonts.covers(fallback, RARE)
    pdf, report = _render(catalog, "juminhyo", tmp_path, name=f"{RARE}野\u3000花子")
    assert any("IPAmj" in row[0] for row in _pdffonts(pdf))
    assert report.fallback_characters >= 1
    assert not report.needs_clerk


def test_application_pdf__char_no_font_has__leaves_box_and_flags(catalog: FormCatalog,
                                                                 tmp_path: Path) -> None:
    faces = [fonts.form_face(), fonts.ui_face(), fonts.fallback_face()]
    assert fonts.missing_characters(NO_FONT, [f for f in faces if f]) == [NO_FONT]
    pdf, report = _render(catalog, "juminhyo", tmp_path, name=f"{NO_FONT}田\u3000花子")
    assert report.handwrite_fields == ["applicant_name"]
    assert "要確認" in _text(pdf)
    assert "職員修正" in _text(pdf)


def _gray_pixels(pdf: Path, tmp_path: Path, env: dict[str, str], tag: str) -> bytes:
    prefix = tmp_path / tag
    subprocess.run(["pdftoppm", "-r", "50", "-gray", "-singlefile", str(pdf), str(prefix)],
                   check=True, env=env, capture_output=True)
    data = prefix.with_suffix(".pgm").read_bytes()
    # P5 header: magic, width, height, maxval, each followed by whitespace
    parts = data.split(maxsplit=4)
    return parts[4]


def test_pdf__machine_without_fonts__renders_identically(catalog: FormCatalog,
                                                         tmp_path: Path) -> None:
    pdf, _ = _render(catalog, "idou", tmp_path, name=f"{RARE}野\u3000花子")
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
                     f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>",
                     encoding="utf-8")
    bare = {**os.environ, "FONTCONFIG_FILE": str(empty), "FONTCONFIG_PATH": str(tmp_path)}
    with_fonts = _gray_pixels(pdf, tmp_path, dict(os.environ), "normal")
    without = _gray_pixels(pdf, tmp_path, bare, "bare")
    assert with_fonts == without
    dark = sum(1 for value in without if value < 128)
    assert dark > 2000, "the page is blank"


@pytest.mark.parametrize("language", FIRST_TIER)
def test_receipt__every_first_tier_language__embeds_fonts_and_draws_no_box(
        catalog: FormCatalog, language: str, tmp_path: Path) -> None:
    session = sample_session(catalog.form("juminhyo"))
    receipt = build_receipt([session], language=language, application_id="R-1")
    out = tmp_path / f"receipt-{language}.pdf"
    report = render_receipt(receipt, out)
    assert all(row[-5] == "yes" for row in _pdffonts(out))
    assert not report.needs_clerk
    assert report.english_lines == 0   # every first-tier script has a font (kiosk.fonts)
    text = _text(out)
    assert "R-1" in text
    assert "300" in text


@pytest.mark.parametrize("language", FIRST_TIER)
def test_slip__every_first_tier_language__80_by_120_mm_fonts_embedded_number_twice(
        language: str, tmp_path: Path) -> None:
    ticket = Ticket(1, "A", date(2026, 4, 1), 7, "A-007", TicketState.ISSUED, 0,
                    datetime(2026, 4, 1, 9, tzinfo=UTC))
    out = tmp_path / f"slip-{language}.pdf"

    report = render_slip(build_slip(ticket, 1260, language, "https://tome.example/t/x",
                                    office="登米市役所"), out)

    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True,
                          check=True).stdout
    assert "226.772 x 340.158 pts" in info        # 80 x 120 mm
    assert all(row[-5] == "yes" for row in _pdffonts(out))
    assert report.english_lines == 0
    text = _text(out)
    assert text.count("A-007") == (1 if language == "ja" else 2)
    assert "21" in text                            # 1,260 s: about 21 minutes
    assert "登米市役所" in text
    assert "2026-04-01" in text                    # the day
    assert _blank_bottom(out, tmp_path)            # the QR code ends on the slip, not past it


def _blank_bottom(pdf: Path, folder: Path) -> bool:
    """Whether the last 2 mm of the page are white (a drawing that ran past the page's end
    is cut there: the slip's QR code once was)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-singlefile", str(pdf),
                    str(folder / "page")], check=True)
    with Image.open(folder / "page.png") as page:
        width, height = page.size
        bottom = page.convert("L").crop((0, height - 8, width, height))    # 2 mm at 100 dpi
        return bottom.getextrema()[0] > 200     # the darkest pixel there


def test_receipt__certificate__mentions_convenience_store(catalog: FormCatalog) -> None:
    receipt = build_receipt([sample_session(catalog.form("juminhyo"))], language="en",
                            application_id="R-2")
    assert any("convenience store" in line.text for line in receipt.lines)
    receipt = build_receipt([sample_session(catalog.form("idou"))], language="en",
                            application_id="R-3")
    assert not any("convenience store" in line.text for line in receipt.lines)


def test_receipt__easy_japanese__writes_furigana_in_brackets(catalog: FormCatalog) -> None:
    receipt = build_receipt([sample_session(catalog.form("juminhyo"))], language="ja@easy",
                            application_id="R-4")
    texts = [line.text for line in receipt.lines]
    assert "住民票（じゅうみんひょう）の うつしを もらう" in texts
    assert not any("{" in text or "|" in text for text in texts)


def test_application_pdf__control_and_bidi_characters__never_reach_the_paper(
        catalog: FormCatalog, tmp_path: Path) -> None:
    # Stored before cleaning existed, or typed in: the PDF is safe on its own.
    pdf, report = _render(catalog, "juminhyo", tmp_path,
                          name="悪意\x07\x1b[2J\u202e\u3000太郎\x00")
    text = _text(pdf)
    assert not any(char in text for char in "\x00\x07\x1b\u202e")
    assert "悪意[2J" in text
    assert "太郎" in text
    assert report.handwrite_fields == []
