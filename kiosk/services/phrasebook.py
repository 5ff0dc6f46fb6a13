"""The visitor's phrasebook: canned answers at the counter, translated by people.

A phrase's text comes from the gettext catalogs, never from machine translation; the
conversation (:meth:`kiosk.services.conversation.Conversation.add_citizen_phrase`) shows it in
the visitor's language and in Japanese.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.i18n import N_

__all__ = ["PHRASES", "PHRASE_BY_ID", "Phrase", "phrases_for"]


@dataclass(frozen=True)
class Phrase:
    """A canned answer of the phrasebook, translated in the catalogs.

    ``picture`` names a drawing of the phrasebook widget (card, insurance, seal, map, ...);
    ``procedures`` and ``fields`` tie it to where it helps (empty: everywhere).
    """

    id: str
    message_id: str
    picture: str = ""
    procedures: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()


PHRASES: tuple[Phrase, ...] = (
    Phrase("yes", N_("Yes."), "yes"),
    Phrase("no", N_("No."), "no"),
    Phrase("again", N_("Could you say that again, please?"), "repeat"),
    Phrase("slowly", N_("Please speak more slowly."), "slow"),
    Phrase("write", N_("Could you write it down, please?"), "write"),
    Phrase("understood", N_("I understand. Thank you."), "yes"),
    Phrase("have_card", N_("I have my My Number card."), "my_number_card"),
    Phrase("no_card", N_("I do not have my My Number card with me."), "my_number_card"),
    Phrase("forgot_pin", N_("I forgot my PIN."), "my_number_card", fields=("pin",)),
    Phrase("have_insurance", N_("Here is my health insurance card."), "insurance_card",
           procedures=("kokuho",)),
    Phrase("no_seal", N_("I do not have a seal (hanko)."), "seal",
           procedures=("inkan_toroku", "inkan_shomei")),
    Phrase("have_seal", N_("I brought my seal (hanko)."), "seal",
           procedures=("inkan_toroku", "inkan_shomei")),
    Phrase("where", N_("Where should I go next?"), "floor_map"),
    Phrase("toilet", N_("Where is the restroom?"), "floor_map"),
    Phrase("how_much", N_("How much is the fee?"), "fee"),
    Phrase("how_long", N_("How long will it take?"), "clock"),
    Phrase("interpreter", N_("I would like an interpreter, please."), "repeat"),
)

PHRASE_BY_ID = {phrase.id: phrase for phrase in PHRASES}


def phrases_for(procedure: str | None = None, field_id: str | None = None) -> list[Phrase]:
    """The phrases to offer: those tied to the field first, then to the procedure, then the rest."""
    def rank(phrase: Phrase) -> int:
        if field_id and field_id in phrase.fields:
            return 0
        if procedure and procedure in phrase.procedures:
            return 1
        return 2
    offered = [p for p in PHRASES if (not p.procedures or procedure in p.procedures)
               and (not p.fields or field_id in p.fields)]
    return sorted(offered, key=rank)
