"""The description form edits exactly a version's content fields and its relationships."""

from registry.models.intervention import VERSION_FIELDS, InterventionVersion
from registry.schemas.procedure import RELATION_FIELDS, VersionInputSchema


def test_the_form_holds_every_version_field_and_nothing_else():
    form = [n for n in VersionInputSchema().fields if n != "lock_version"]
    assert sorted(form) == sorted([*VERSION_FIELDS, *RELATION_FIELDS])


def test_every_version_field_is_a_column():
    columns = set(InterventionVersion.__table__.columns.keys())
    assert set(VERSION_FIELDS) <= columns
