"""Write buffered counts as increments: one upsert per cell, in one transaction, so
every process and host adds to the same monthly cells."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from registry.models import UsageCount


def write_counts(engine: Engine, counts: Counter) -> None:
    """Add the counts to their monthly cells (insert, or add to the cell's count)."""
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    table = UsageCount.__table__
    # A fixed order: two hosts flushing at once take the cells' locks in the same order.
    rows = [{"month": month, "metric": metric, "dimension": dimension, "value": value,
             "count": count}
            for (month, metric, dimension, value), count in sorted(counts.items())]
    with engine.begin() as connection:
        for row in rows:
            statement = insert(table).values(**row)
            connection.execute(statement.on_conflict_do_update(
                index_elements=["month", "metric", "dimension", "value"],
                set_={"count": table.c.count + statement.excluded.count}))
