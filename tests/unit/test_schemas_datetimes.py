"""UtcDateTime writes every timestamp in UTC with its offset, naive ones taken as UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from marshmallow import Schema

from registry.schemas.common import UtcDateTime


class Stamped(Schema):
    at = UtcDateTime(allow_none=True)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (datetime(2024, 5, 1, 9, 30), "2024-05-01T09:30:00+00:00"),
        (datetime(2024, 5, 1, 11, 30, tzinfo=timezone(timedelta(hours=2))),
         "2024-05-01T09:30:00+00:00"),
        (None, None),
    ],
)
def test_dump_is_utc_with_offset(value, written):
    assert Stamped().dump({"at": value}) == {"at": written}


def test_load_takes_a_naive_value_as_utc():
    loaded = Stamped().load({"at": "2024-05-01T09:30:00"})["at"]
    assert loaded.utcoffset() == timedelta(0)
