"""The copy database of the resident register, and the view the kiosk reads it through.

MADO's hub (芽室町) shape: the core system's 住民記録 is never queried live; a copy is loaded
every night into its own database, and the clerk PCs read it through one read-only view,
``kiosk_residents``. :func:`load_copy` loads such a copy from an extract (``kiosk register
load FILE --mapping MAP --into URL``), with the folded search keys the kiosk needs and the
indexes that make a lookup one index probe. A city whose IT builds its own copy defines the
same view over it (README: the view's columns).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from sqlalchemy import (
    Column,
    Date,
    Index,
    MetaData,
    String,
    Table,
    insert,
    text,
)

from kiosk.domain.resident import Resident
from kiosk.domain.resident_query import fold_kana, fold_name
from kiosk.storage.engine import make_engine, transaction

__all__ = ["VIEW", "copy_metadata", "load_copy", "residents_table"]

VIEW = "kiosk_residents"
_DROP_VIEW = "DROP VIEW IF EXISTS kiosk_residents"
_CREATE_VIEW = ("CREATE VIEW kiosk_residents AS SELECT id, household_id, name, kana, birth_date, "
                "sex, relation, address, honseki, hittosha, name_key, kana_key "
                "FROM register_residents")
_BATCH = 5000

copy_metadata = MetaData()
residents_table = Table(
    "register_residents", copy_metadata,
    Column("id", String(20), primary_key=True),            # 宛名番号
    Column("household_id", String(20), nullable=False),
    Column("name", String(100), nullable=False),
    Column("kana", String(100), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(1), nullable=False),
    Column("relation", String(20), nullable=False),
    Column("address", String(200), nullable=False, server_default=""),
    Column("honseki", String(200), nullable=False, server_default=""),
    Column("hittosha", String(100), nullable=False, server_default=""),
    Column("name_key", String(100), nullable=False),     # fold_name(name)
    Column("kana_key", String(100), nullable=False),     # fold_kana(kana)
    Index("ix_register_residents_birth_date", "birth_date"),
    Index("ix_register_residents_household_id", "household_id"),
    # text_pattern_ops: a LIKE 'prefix%' uses the index whatever the database's collation.
    Index("ix_register_residents_name_key", "name_key",
          postgresql_ops={"name_key": "text_pattern_ops"}),
    Index("ix_register_residents_kana_key", "kana_key",
          postgresql_ops={"kana_key": "text_pattern_ops"}),
)


def load_copy(url: str, residents: Iterable[Resident]) -> int:
    """Replace the copy at ``url`` with ``residents`` in one transaction; returns the count.

    Readers see the old copy until the new one is committed (PostgreSQL's DDL is
    transactional), so a lookup during the nightly load never meets a half copy.
    """
    engine = make_engine(url)
    count = 0
    try:
        with transaction(engine, write=True) as connection:
            connection.execute(text(_DROP_VIEW))
            copy_metadata.drop_all(connection)
            copy_metadata.create_all(connection)
            for batch in _batches(residents):
                connection.execute(insert(residents_table), [_row(one) for one in batch])
                count += len(batch)
            connection.execute(text(_CREATE_VIEW))
            if engine.dialect.name == "postgresql":
                connection.execute(text("ANALYZE register_residents"))
    finally:
        engine.dispose()
    return count


def _batches(residents: Iterable[Resident]) -> Iterator[Sequence[Resident]]:
    iterator = iter(residents)
    while batch := list(islice(iterator, _BATCH)):
        yield batch


def _row(resident: Resident) -> dict[str, object]:
    return {"id": resident.id, "household_id": resident.household_id, "name": resident.name,
            "kana": resident.kana, "birth_date": resident.birth_date, "sex": resident.sex,
            "relation": resident.relation, "address": resident.address,
            "honseki": resident.honseki, "hittosha": resident.hittosha,
            "name_key": fold_name(resident.name), "kana_key": fold_kana(resident.kana)}
