"""The template workbook staff start from: the example procedure and a sheet 説明 in Japanese.

``kiosk forms template --out forms/templates/form_template.xlsx`` writes it; the explanation
lives here as text (reviewable in a diff), not only inside a binary file.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import Alignment, Font

from kiosk.procedures.source import parse_yaml
from kiosk.procedures.workbook_write import write_workbook

__all__ = ["EXPLANATION", "write_template"]

EXPLANATION: tuple[tuple[str, str, str], ...] = (
    ("全体", "", "1つのブックが1つの手続き（様式）です。シートは settings・survey・choices・fees・"
     "bring・print。書き終えたら `kiosk forms import ファイル.xlsx --out forms/ID.yaml` で取り込み、"
     "誤りは「ファイル.xlsx:survey!C12 F031 …」のようにシート・セルで表示されます。"),
    ("全体", "列名の ::", "言語ごとの文言は「label::ja」「label::ja@easy」「label::en」「label::vi」"
     "「label::zh_Hans」「label::ne」「label::id」「label::tl」の列に書きます（8言語すべて必須）。"
     "やさしい日本語のふりがなは {漢字|かんじ} と書きます。"),
    ("全体", "::use", "共通の文言（_common.yaml）を使うときは「::use」列に名前を書きます"
     "（例: department::use に dept_shimin）。同じ項目は全様式で同じ言葉になります（アスコエ方式）。"),
    ("全体", "null", "セルに null と書くと「値なし」を明示します（例: 共通項目の prefill を外す）。"),
    ("settings", "setting / value", "id（英小文字・数字・_）、version（1.0.0 形式）、title::各言語、"
     "department::use、counter（窓口番号）、service（発券の業務記号）、picture（絵の名前）、"
     "legal_form（様式を定める法令・条例）、effective::from（施行日）、print::title（用紙の表題）、"
     "print::form_number（様式番号）、print::signature（署名欄が要るとき TRUE）、"
     "print::background（市の様式PDF、任意）。"),
    ("survey", "type", "text・name・reading・date・address・postal_code・phone・number・yes_no・"
     "consent・note・signature・my_number、選択は「select_one リスト名」「select_multiple リスト名」。"
     "繰り返しの表は begin_repeat 行と end_repeat 行ではさみます。"),
    ("survey", "name", "項目のID（英小文字・数字・_）。同じ意味の項目は全様式で同じIDにします。"),
    ("survey", "use", "共通項目（applicant_name・address・phone・deceased_name など）の名前。"
     "書いた列だけが共通項目を上書きします。"),
    ("survey", "required / relevant / required_if / readonly_if", "必須（TRUE）と条件式"
     "（例: relationship == 'proxy'）。relevant が偽のとき項目は表示も印刷もされません。"),
    ("survey", "constraint / constraint_message::各言語", "値の条件式と、満たさないときの案内文。"),
    ("survey", "calculate", "計算式（例: copies * fee('juminhyo')）。手数料は fees シートの kind で参照。"),
    ("survey", "prefill", "事前入力: card.name・card.address など（マイナンバーカード）、"
     "visit.項目ID（同じ来庁で先に入力された値。おくやみの故人情報など）。"),
    ("survey", "legal_basis", "個人番号（my_number）を聞くときは、根拠法令を必ず書きます。"),
    ("survey", "print_chars / sample", "印刷欄の幅（全角文字数）と、はみ出し確認用の見本値。"),
    ("survey", "place::page / place::box / place::size / place::vertical",
     "市の様式PDFに印字する位置（ページ番号、[左, 上, 幅, 高さ] を mm で、文字の大きさ pt、"
     "縦書きは TRUE）。`kiosk forms calibrate ID` で枠を重ねて印刷し、位置を確かめます。"),
    ("choices", "list_name / value / label::各言語", "選択肢。tags は choice_filter で絞り込む目印。"),
    ("fees", "kind / amount / per / basis / confirmed", "手数料: 金額（円）、per は copy（1通）か "
     "application（1件）、basis は根拠（登米市手数料条例 別表 など）、条例で確認済みなら TRUE。"),
    ("bring", "name / use / when / label::各言語", "持ち物。共通の持ち物は use（id_document など）。"),
    ("print", "title / fields", "印刷する欄の区切り（見出し）と、その欄に並べる項目IDをカンマ区切りで。"),
)


def write_template(example: Path, out: Path) -> None:
    """The workbook of ``example`` (a procedure YAML) with the sheet 説明 first, saved to ``out``."""
    doc, _ = parse_yaml(example.read_text(encoding="utf-8"), example.name)
    book = write_workbook(doc.data)
    sheet = book.create_sheet("説明", 0)
    sheet.append(["シート", "列", "説明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in EXPLANATION:
        sheet.append(list(row))
    for letter, width in (("A", 12), ("B", 34), ("C", 110)):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(out)
