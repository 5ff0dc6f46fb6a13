"""Every message a web template translates is extracted into the citizen catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import kiosk.web
from kiosk.web.template_messages import TEMPLATE_MESSAGES

TEMPLATES = Path(kiosk.web.__file__).parent / "templates"


def test_templates__every_translated_message__listed_for_extraction():
    used = {message for path in TEMPLATES.glob("*.html")
            for message in re.findall(r'N_\("([^"]*)"\)', path.read_text(encoding="utf-8"))}

    assert used
    assert used - set(TEMPLATE_MESSAGES) == set()
