"""An in-memory index of residents: by 宛名番号, birth date, reading and folded name.

Readings and names are kept as sorted key lists, so a search "from the start" is two binary
searches (``bisect``), whatever the size of the register; ids, dates and households are dicts.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from kiosk.doctor import Check, Status
from kiosk.domain.resident import Household, Resident
from kiosk.domain.resident_query import QueryKind, ResidentQuery, fold_kana, fold_name

__all__ = ["IndexedRegister", "ResidentIndex"]

_LAST = "\U0010ffff"     # sorts after every key that starts with the prefix


class ResidentIndex:
    """Residents indexed for :class:`kiosk.ports.ResidentRegister` lookups.

    Args:
        residents: every resident of the register; a later row with the same 宛名番号
            replaces the earlier one.
        source: what the index was loaded from, for ``kiosk doctor`` (a file name, "synthetic").
    """

    def __init__(self, residents: Iterable[Resident], source: str = "") -> None:
        self.source = source
        self._by_id: dict[str, Resident] = {}
        for resident in residents:
            self._by_id[resident.id] = resident
        by_birth: defaultdict[date, list[str]] = defaultdict(list)
        by_household: defaultdict[str, list[str]] = defaultdict(list)
        kana: list[tuple[str, str]] = []
        names: list[tuple[str, str]] = []
        for resident in self._by_id.values():
            by_birth[resident.birth_date].append(resident.id)
            by_household[resident.household_id].append(resident.id)
            kana.append((fold_kana(resident.kana), resident.id))
            names.append((fold_name(resident.name), resident.id))
        self._by_birth = dict(by_birth)
        self._by_household = dict(by_household)
        kana.sort()
        names.sort()
        self._kana = kana
        self._names = names

    def __len__(self) -> int:
        return len(self._by_id)

    def __repr__(self) -> str:
        return f"ResidentIndex({len(self)} residents)"

    def find(self, query: ResidentQuery, limit: int = 50) -> Sequence[Resident]:
        """Residents matching ``query``, in 宛名番号 order, at most ``limit``."""
        if query.kind is QueryKind.RESIDENT_ID:
            ids = [query.key] if query.key in self._by_id else []
        elif query.kind is QueryKind.BIRTH_DATE:
            ids = list(self._by_birth.get(query.birth_date, [])) if query.birth_date else []
        else:
            ids = _prefixed(self._kana if query.kind is QueryKind.KANA else self._names,
                            query.key, limit)
        return [self._by_id[one] for one in sorted(ids)[:limit]]

    def resident(self, resident_id: str) -> Resident | None:
        """The resident with this 宛名番号, or ``None``."""
        return self._by_id.get(resident_id)

    def household(self, resident_id: str) -> Household | None:
        """The resident's household, 世帯主 first, then in 宛名番号 order."""
        resident = self._by_id.get(resident_id)
        if resident is None:
            return None
        members = sorted((self._by_id[one] for one in self._by_household[resident.household_id]),
                         key=lambda member: (not member.is_head, member.id))
        return Household(resident.household_id, tuple(members))

    def probe(self) -> Sequence[Check]:
        """One line for ``kiosk doctor``: how many residents, from where."""
        if not self._by_id:
            return [Check("register", Status.WARN, f"the resident register {self.source} is "
                          "empty", "check the extract and its mapping: kiosk register load")]
        return [Check("register", Status.OK,
                      f"{len(self)} residents in memory from {self.source}")]


def _prefixed(keys: list[tuple[str, str]], prefix: str, limit: int) -> list[str]:
    """The ids of the keys starting with ``prefix`` (at most ``limit`` beyond the first)."""
    if not prefix:
        return []
    start = bisect.bisect_left(keys, (prefix, ""))
    end = bisect.bisect_right(keys, (prefix + _LAST, ""), lo=start)
    # Enough to sort by id and cut: more than ``limit`` only tells the clerk to type more.
    return [resident_id for _key, resident_id in keys[start:min(end, start + limit + 1)]]


class IndexedRegister:
    """Base of the registers held in memory: every lookup goes to ``self._index``."""

    _index: ResidentIndex

    def find(self, query: ResidentQuery, limit: int = 50) -> Sequence[Resident]:
        """See :meth:`kiosk.ports.ResidentRegister.find`."""
        return self._index.find(query, limit)

    def resident(self, resident_id: str) -> Resident | None:
        """See :meth:`kiosk.ports.ResidentRegister.resident`."""
        return self._index.resident(resident_id)

    def household(self, resident_id: str) -> Household | None:
        """See :meth:`kiosk.ports.ResidentRegister.household`."""
        return self._index.household(resident_id)

    def probe(self) -> Sequence[Check]:
        """See :meth:`ResidentIndex.probe`."""
        return self._index.probe()
