"""Taking turns on one row: two requests that would check a state (or count rows) and
then write on it, at the same moment (a double click, two tabs, two secretaries), run one
after the other, and the second sees what the first wrote.

`hold_row` takes the row's write lock until the transaction ends. On PostgreSQL that is
`SELECT ... FOR UPDATE`. SQLite locks for the first write, not for a read, and has no
FOR UPDATE: there an UPDATE that changes nothing (not even a column that updates
itself, such as updated_at) takes the whole database's write lock now.

`current_state` holds an entity's row and reads it again, so a check of its state after
it sees the state a concurrent request committed; a row deleted meanwhile raises the
Conflict of a lost race.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select, update

from registry.extensions import db, on_postgresql
from registry.unit_of_work import lost_race

Entity = TypeVar("Entity")


def hold_row(model: type, row_id: int) -> bool:
    """Lock the row until the transaction ends; False when there is no such row."""
    if on_postgresql():
        return db.session.scalar(
            select(model.id).where(model.id == row_id).with_for_update()) is not None
    table = model.__table__
    unchanged = {column.key: column for column in table.columns if column.onupdate is not None}
    result = db.session.execute(
        update(table).where(table.c.id == row_id).values(id=table.c.id, **unchanged))
    return result.rowcount == 1


def current_state(entity: Entity) -> Entity:
    """Hold the entity's row and read it again. Raises Conflict when it is gone."""
    if not hold_row(type(entity), entity.id):
        raise lost_race()
    db.session.refresh(entity)
    return entity
