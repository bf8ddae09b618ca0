"""Stored DOIs in the form the normaliser gives them now (registry/text_keys.py
normalise_doi). It came to drop a closing bracket the DOI did not open, a trailing full
stop and a "(doi:" wrapper, and to decode a percent-encoded resolver URL; DOIs stored
before keep the old form, so the same paper imported again met a DOI that differed and
could be added twice. A DOI another study already holds in the new form is left as it
is and logged: the two are probably one paper, for a researcher to merge.

Revision ID: 0032_renormalised_dois
Revises: 0031_repairs_and_lower_is_better
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = '0032_renormalised_dois'
down_revision = '0031_repairs_and_lower_is_better'
branch_labels = None
depends_on = None

log = logging.getLogger('alembic.runtime.migration')


def upgrade():
    from registry.text_keys import normalise_doi  # the DOIs as the code makes them

    if op.get_context().as_sql:
        raise RuntimeError("This revision recomputes data in Python and needs a live database: "
                           "run flask db upgrade without --sql (docs/deploy.md, Upgrading).")
    bind = op.get_bind()
    held = dict(bind.execute(sa.text(
        "SELECT doi, id FROM studies WHERE doi IS NOT NULL")).all())
    update = sa.text("UPDATE studies SET doi = :doi WHERE id = :id")
    changed, kept = 0, []
    for doi, study_id in sorted(held.items(), key=lambda pair: pair[1]):
        new = normalise_doi(doi)
        if not new or new == doi:
            continue
        other = held.get(new)
        if other is not None and other != study_id:
            kept.append((study_id, other))
            continue
        bind.execute(update, {"doi": new, "id": study_id})
        held[new] = study_id
        changed += 1
    log.info("studies: %s DOIs renormalised; %s left as they were because another study "
             "holds the new form (probably one paper twice; merge them): %s", changed,
             len(kept), ", ".join(f"{a} and {b}" for a, b in kept) or "none")


def downgrade():
    pass  # the old form is not kept; the new one is a DOI all the same
