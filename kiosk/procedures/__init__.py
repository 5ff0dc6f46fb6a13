"""The form engine: declarative procedure definitions in ``forms/`` turned into validated models.

Stages (pyxform's lesson: named stages, coded errors)::

    YAML text --parse_yaml--> SourceDocument --build_definition--> FormDefinition
             --lint_definition--> issues            --FormSession--> answers with provenance

Nothing here imports Qt, reportlab or a device: the citizen, clerk and auditor screens and the
printer all render from these models.
"""

from __future__ import annotations

from kiosk.procedures.bundles import Applicable, applicable_procedures
from kiosk.procedures.catalog import FormCatalog, load_catalog, load_text
from kiosk.procedures.issues import FormDefinitionError, FormIssue, IssueCode, Location, Severity
from kiosk.procedures.layout import FilledForm, PageLayout, build_layout
from kiosk.procedures.model import Bundle, FieldDef, FieldType, FormDefinition, LocalText
from kiosk.procedures.outline import outline
from kiosk.procedures.printing import fill_form
from kiosk.procedures.sample import sample_session
from kiosk.procedures.session import Answer, AnswerLockedError, FormSession, Provenance
from kiosk.procedures.values import InvalidAnswerError

__all__ = [
    "Answer",
    "AnswerLockedError",
    "Applicable",
    "Bundle",
    "FieldDef",
    "FieldType",
    "FilledForm",
    "FormCatalog",
    "FormDefinition",
    "FormDefinitionError",
    "FormIssue",
    "FormSession",
    "InvalidAnswerError",
    "IssueCode",
    "LocalText",
    "Location",
    "PageLayout",
    "Provenance",
    "Severity",
    "applicable_procedures",
    "build_layout",
    "fill_form",
    "load_catalog",
    "load_text",
    "outline",
    "sample_session",
]
