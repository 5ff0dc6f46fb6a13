"""The declaration 記載内容に誤りはありません is given on the check screen, not asked as a question;
a required yes/no question answered "No" is answered."""

from __future__ import annotations

import msgspec
import pytest

from kiosk.procedures.catalog import FormCatalog
from kiosk.procedures.model import FieldDef, FieldType, LocalText
from kiosk.services.visit import Stage, Visit


@pytest.fixture
def services(demo_services):
    return demo_services


def _visit(services, forms=None) -> Visit:
    return Visit(services.events, "ja", forms=forms or services.forms, clock=services.clock,
                 identity_reader=services.identity_reader, queue=services.queue,
                 submissions=services.submissions)


def _to_questions(visit: Visit, form_id: str = "juminhyo") -> None:
    visit.start()
    visit.toggle(form_id)
    visit.confirm_procedures()
    visit.card.read("1234")


def test_visit_questions__form_with_declaration__never_asks_it(services):
    visit = _visit(services)
    _to_questions(visit)

    asked = [question.field.type for question in visit.flow.questions()]

    assert FieldType.CONSENT not in asked
    assert all(line.field_id != "consent_truth"
               for _, lines in visit.summary.review() for line in lines)


def test_visit_declaration__form_with_consent__is_its_label_in_the_visit_language(services):
    visit = _visit(services)
    _to_questions(visit)

    assert visit.summary.declaration() == "記載内容に誤りはありません"
    visit.set_language("vi")
    assert visit.summary.declaration() == "Tôi xác nhận nội dung trên là đúng sự thật"


def test_visit_submit__after_the_check_screen__stores_the_declaration_as_given(services):
    visit = _visit(services)
    _to_questions(visit)
    while visit.stage is Stage.FORMS:
        question = visit.flow.current()
        assert question is not None
        session = visit.flow.session_of(question)
        if session.is_required(question.field.id) and \
                session.value(question.field.id) in (None, "", []):
            options = session.options(question.field.id)
            visit.flow.answer(options[0].value if options else "トメ")
        visit.flow.next()
    assert visit.summary.blocking_issues() == []

    visit.submit()

    assert visit.flow.sessions[0].value("consent_truth") is True


def test_visit_next_question__required_yes_no_answered_no__moves_on(services):
    form = services.forms.form("juminhyo")
    asked = FieldDef("moved_here", FieldType.YES_NO, LocalText({"ja": "引っ越してきましたか"}),
                     required=True)
    form = msgspec.structs.replace(form, fields=(asked, *form.fields))
    visit = _visit(services, FormCatalog(forms={"juminhyo": form}))
    _to_questions(visit)
    question = visit.flow.current()
    assert question is not None
    assert question.field.id == "moved_here"

    visit.flow.answer(False)
    visit.flow.next()

    assert visit.flow.current() is not None
    assert visit.flow.current().field.id != "moved_here"
