"""Every text an input schema lets through fits its column: a value longer than a
String(n) column passed the form's or the import's checks and then failed at the write
on PostgreSQL (a 500 after a clean preview; SQLite stores it anyway)."""

from __future__ import annotations

import pytest
from marshmallow import fields, validate
from sqlalchemy import String

from registry.models import InterventionVersion
from registry.models.intervention import VERSION_FIELDS
from registry.schemas.procedure import VersionInputSchema


def _limit(field: fields.Field) -> int | None:
    limits = [v.max for v in field.validators if isinstance(v, validate.Length) and v.max]
    return min(limits) if limits else None


# The version's columns of a bounded length (Text, numbers and booleans have none).
BOUNDED = {name: column.type.length for name in VERSION_FIELDS
           if isinstance((column := InterventionVersion.__table__.c[name]).type, String)
           and column.type.length}


@pytest.mark.parametrize(("name", "length"), sorted(BOUNDED.items()))
def test_a_version_field_is_no_longer_than_its_column(app, name, length):
    with app.test_request_context():
        field = VersionInputSchema().fields[name]
    assert _limit(field) is not None and _limit(field) <= length
