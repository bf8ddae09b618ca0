"""Dedup keys keep the letters of every script: the title and first-author keys of the
studies whose keys change (non-Latin letters, curly apostrophes, fraction slashes ...)
are recomputed as registry/text_keys.py makes them from now on. Before, every Cyrillic or
Greek name folded to the same empty key, and different studies counted as duplicates.

Revision ID: 0029_unicode_dedup_keys
Revises: 0028_digest_covered_until
"""
import sqlalchemy as sa
from alembic import op

revision = '0029_unicode_dedup_keys'
down_revision = '0028_digest_covered_until'
branch_labels = None
depends_on = None

_BATCH = 1000


def _changed_keys(bind, title_key, surname_key):
    first_authors = dict(bind.execute(sa.text(
        "SELECT a.study_id, a.family_name FROM study_authors a WHERE a.position = "
        "(SELECT MIN(b.position) FROM study_authors b WHERE b.study_id = a.study_id)")).all())
    for study_id, title, old_title, old_author in bind.execute(sa.text(
            "SELECT id, title, title_key, first_author_key FROM studies")):
        keys = (title_key(title), surname_key(first_authors.get(study_id)))
        if keys != (old_title or "", old_author or ""):
            yield {"id": study_id, "title_key": keys[0], "author_key": keys[1]}


def upgrade():
    from registry.text_keys import surname_key, title_key  # the keys as the code makes them

    if op.get_context().as_sql:
        raise RuntimeError("This revision recomputes data in Python and needs a live database: "
                           "run flask db upgrade without --sql (docs/deploy.md, Upgrading).")
    bind = op.get_bind()
    changed = list(_changed_keys(bind, title_key, surname_key))
    update = sa.text("UPDATE studies SET title_key = :title_key, "
                     "first_author_key = :author_key WHERE id = :id")
    for start in range(0, len(changed), _BATCH):
        bind.execute(update, changed[start:start + _BATCH])


def downgrade():
    # The new keys stay: the code before then finds fewer exact title matches for studies
    # with such titles (its DOI and PMID matches are unaffected).
    pass
