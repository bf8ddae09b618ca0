"""Repairs for databases upgraded by early releases, and which way existing findings'
measures are good.

- 0005 gained the table search_replica_applied after its first release: a database
  upgraded by that first 0005 reached head without it, and the search sync then failed.
  It is made here when it is missing. (0024's late table profile_digests is made by
  0028, which changes it.)
- 0030 added lower_is_better as false for every existing finding (and coded finding).
  Where the finding says it, it is set now: a favourable finding whose intervention
  group has the lower value (or an unfavourable one with the higher) measures something
  of which less is better. A finding of no difference says nothing of itself; it takes
  the answer of the findings with the same measure (the same words, letter case and
  spaces aside) when they all agree. The rest stay false and are counted in the log:
  `SELECT id, measure FROM findings WHERE direction = 'null' AND NOT lower_is_better`
  lists them for review (docs/deploy.md, "Upgrading").

Revision ID: 0031_repairs_and_lower_is_better
Revises: 0030_finding_lower_is_better
"""
import logging
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = '0031_repairs_and_lower_is_better'
down_revision = '0030_finding_lower_is_better'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')


def upgrade():
    if op.get_context().as_sql:
        raise RuntimeError("This revision recomputes data in Python and needs a live database: "
                           "run flask db upgrade without --sql (docs/deploy.md, Upgrading).")
    bind = op.get_bind()
    if not sa.inspect(bind).has_table('search_replica_applied'):
        op.create_table(
            'search_replica_applied',
            sa.Column('replica_id', sa.String(length=64), nullable=False),
            sa.Column('change_id', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ['change_id'], ['search_changes.id'],
                name=op.f('fk_search_replica_applied_change_id_search_changes'),
                ondelete='CASCADE'),
            sa.ForeignKeyConstraint(
                ['replica_id'], ['search_replicas.id'],
                name=op.f('fk_search_replica_applied_replica_id_search_replicas'),
                ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('replica_id', 'change_id',
                                    name=op.f('pk_search_replica_applied')),
        )
    for table in ('findings', 'coded_findings'):
        _lower_is_better(bind, table)


def _lower_is_better(bind, table: str) -> None:
    rows = bind.execute(sa.text(
        f"SELECT id, measure, direction, value_intervention, value_comparison FROM {table}"
    )).all()
    said: dict[str, set[bool]] = defaultdict(set)
    lower = set()
    for finding_id, measure, direction, treated, compared in rows:
        if direction == 'null' or treated is None or compared is None or treated == compared:
            continue
        answer = (treated < compared) == (direction == 'favourable')
        said[_words(measure)].add(answer)
        if answer:
            lower.add(finding_id)
    unsure = 0
    for finding_id, measure, direction, treated, compared in rows:
        if direction != 'null':
            continue
        answers = said.get(_words(measure), set())
        if answers == {True}:
            lower.add(finding_id)
        elif not answers:
            unsure += 1
    ids = sorted(lower)
    for start in range(0, len(ids), 1000):
        bind.execute(sa.text(f"UPDATE {table} SET lower_is_better = :yes WHERE id IN "
                             f"({', '.join(str(i) for i in ids[start:start + 1000])})"),
                     {"yes": True})
    log.info("%s: lower_is_better set for %s rows; %s findings of no difference could not "
             "be told and stay false (review them)", table, len(ids), unsure)


def _words(measure: str | None) -> str:
    return " ".join((measure or "").lower().split())


def downgrade():
    pass  # the table belongs to 0005 and the flags to 0030, whose downgrades drop them
