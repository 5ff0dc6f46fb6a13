"""What the clerk's live captions are told to expect: the words of the visit and of the city.

Whisper base writes "住民表の映し" for 住民票の写し and cannot spell a town it has never heard,
unless the words come first in its prompt (the text it believes was said before). The prompt
holds about 150 Japanese characters, so the terms go in order of use:

1. the titles of the visitor's chosen procedures (the visit's own words);
2. words every counter says (番号札, 本人確認書類 ...);
3. the city and its towns (``forms/places/place_names.yaml``, replaced by another city);
4. the titles of the procedures this desk serves (``[device] services``);
5. the field labels of the visitor's procedures, then of the desk's;
6. the 字 names of the towns.

:class:`CaptionVocabulary` builds the list (:func:`counter_vocabulary`: the forms' terms
alone); :func:`follow_visits` keeps a captioner's vocabulary in step with the visit (the
procedures the conversation was told, here or by the tablet of the counter). Terms are
procedure and place names, never anything the visitor said.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from kiosk.events import EventBus, Subscription
from kiosk.paths import forms_dir
from kiosk.ports import Captioner
from kiosk.procedures.catalog import FormCatalog
from kiosk.services.conversation import ConversationCleared, VisitProceduresChanged

__all__ = ["COUNTER_WORDS", "CaptionVocabulary", "PlaceNames", "city_places", "counter_vocabulary",
           "follow_visits", "load_place_names"]

# Said at every counter of a city hall, whatever the procedure.
COUNTER_WORDS = ("番号札", "本人確認書類", "マイナンバーカード", "手数料", "窓口", "申請書",
                 "暗証番号", "交付")


class PlaceNames:
    """The city, its towns and their 字 names, in the order of the data file; its prefecture
    and the readings of local names the dictionary gets wrong (``{"登米": "とめ"}``)."""

    def __init__(self, city: str = "", towns: Sequence[str] = (),
                 districts: Sequence[str] = (), *, prefecture: str = "",
                 readings: Mapping[str, str] | None = None) -> None:
        self.city = city
        self.towns = tuple(towns)
        self.districts = tuple(districts)
        self.prefecture = prefecture
        self.readings = dict(readings or {})


def place_names_file() -> Path:
    """The city's place-name list shipped with the forms."""
    return forms_dir() / "places" / "place_names.yaml"


def load_place_names(path: Path | None = None) -> PlaceNames:
    """Read ``place_names.yaml``; a missing file is a city without a list (no place names).

    Raises:
        ValueError: the file is not a mapping of ``city`` and ``towns`` (a broken list must
            be seen, not silently leave the captions without the city's names).
    """
    path = path or place_names_file()
    if not path.is_file():
        return PlaceNames()
    data = _parsed(path)
    towns = data.get("towns") if isinstance(data, dict) else None
    if not isinstance(towns, dict) or not all(
            isinstance(names, list) for names in towns.values() if names is not None):
        raise ValueError(f"{path}: expected 'city' and 'towns: {{town: [字, ...]}}'")
    readings = data.get("readings") or {}
    if not isinstance(readings, dict):
        raise ValueError(f"{path}: expected 'readings: {{name: reading, ...}}'")
    districts = [str(name) for names in towns.values() for name in (names or [])]
    return PlaceNames(str(data.get("city") or ""), [str(town) for town in towns], districts,
                      prefecture=str(data.get("prefecture") or ""),
                      readings={str(name): str(reading) for name, reading in readings.items()})


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# (path, mtime, size) -> the parsed file: the tablet reads the list from three places as it
# starts (the screens' modules and the slip's heading), each parse some 8 ms.
_PARSED: dict[tuple[Path, int, int], Any] = {}


def _parsed(path: Path) -> Any:
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        _PARSED.clear()     # one list in use at a time: an edited file replaces the old one
        # The C loader when PyYAML has it (as the forms' source): the pure-Python one took
        # some 20 ms of the tablet's take-over on the GUI thread (issue 18).
        _PARSED[key] = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
    return copy.deepcopy(_PARSED[key])


@functools.cache
def city_places() -> PlaceNames:
    """The city's place names shipped with the forms (:func:`load_place_names`), read when
    first asked and kept: the screens and the slip ask again and again, the file is fixed."""
    return load_place_names()

class CaptionVocabulary:
    """The terms for the recognizer's prompt, visit first (see the module's order).

    Args:
        catalog: the procedures.
        places: the city's place names.
        services: the service codes this desk serves (``[device] services``); empty: every
            procedure counts as the desk's.
    """

    def __init__(self, catalog: FormCatalog, places: PlaceNames,
                 services: Iterable[str] = ()) -> None:
        self._catalog = catalog
        self._places = places
        wanted = set(services)
        self._desk = [form_id for form_id, form in sorted(catalog.forms.items())
                      if not wanted or form.service in wanted]

    def terms(self, procedures: Sequence[str] = ()) -> list[str]:
        """The prompt's terms for a visit to ``procedures`` (ids of the catalog)."""
        visit = [form_id for form_id in procedures if form_id in self._catalog.forms]
        desk = [form_id for form_id in self._desk if form_id not in visit]
        places = self._places
        terms = [*self._titles(visit), *COUNTER_WORDS,
                 *([places.city] if places.city else []), *places.towns,
                 *self._titles(desk), *self._labels(visit), *self._labels(desk),
                 *places.districts]
        return list(dict.fromkeys(term for term in terms if term))

    def _titles(self, form_ids: Iterable[str]) -> list[str]:
        return [self._catalog.forms[form_id].title.get("ja") or "" for form_id in form_ids]

    def _labels(self, form_ids: Iterable[str]) -> list[str]:
        return [item.label.get("ja") or "" for form_id in form_ids
                for _, item in self._catalog.forms[form_id].walk_fields()]


def follow_visits(events: EventBus, captioner: Captioner,
                  vocabulary: CaptionVocabulary) -> list[Subscription]:
    """Give ``captioner`` the desk's vocabulary now, and the visit's whenever the conversation
    learns the visitor's procedures; back to the desk's when the visit ends."""
    captioner.set_vocabulary(vocabulary.terms())
    return [
        events.subscribe(VisitProceduresChanged,
                         lambda event: captioner.set_vocabulary(
                             vocabulary.terms(event.procedures))),
        events.subscribe(ConversationCleared,
                         lambda _event: captioner.set_vocabulary(vocabulary.terms())),
    ]


def counter_vocabulary(catalog: FormCatalog, procedures: Iterable[str] = ()) -> list[str]:
    """Japanese procedure titles and field labels for the recognizer's prompt, visit's first.

    Whisper mishears the counter's words without them ("住民表の映し" for 住民票の写し).
    """
    wanted = list(procedures)
    order = wanted + [form_id for form_id in sorted(catalog.forms) if form_id not in wanted]
    terms: list[str] = []
    for form_id in order:
        form = catalog.forms.get(form_id)
        if form is None:
            continue
        terms.append(form.title.get("ja"))
        terms += [item.label.get("ja") for _, item in form.walk_fields()]
    return list(dict.fromkeys(term for term in terms if term))
