"""Problems of an imported record name their field as people call it, every problem of
a record is reported (not just the first), and the keys stay for the API."""

import io

import pytest

from importers.detect import parser_for
from importers.field_labels import field_label
from importers.validate import Lookups, validate


@pytest.mark.parametrize(("key", "label"), [
    ("title", "Titel"), ("year", "Jaar"), ("authors.1.family_name", "Auteur 2: achternaam"),
    ("record", "Record"), ("iets.anders", "iets.anders"),
])
def test_field_keys_read_as_dutch_labels(app, key, label):
    with app.test_request_context("/"):
        assert field_label(key) == label


def test_every_problem_of_a_record_is_reported(app):
    content = b"TY  - JOUR\nPY  - 1700\nDO  - geen-doi\nER  - \n"
    raw = next(parser_for("ris")(io.BytesIO(content)))
    with app.test_request_context("/"):
        record, problems = validate(raw, Lookups())
    assert record is None
    assert {field for field, _ in problems} >= {"title", "year", "doi"}


def test_an_unknown_intervention_drops_the_link_not_the_study(app):
    content = (b"TY  - JOUR\nTI  - Werk eerst\nPY  - 2020\nKW  - interventie:bestaat-niet\n"
               b"ER  - \n")
    raw = next(parser_for("ris")(io.BytesIO(content)))
    with app.test_request_context("/"):
        record, problems = validate(raw, Lookups())
    assert (problems, record.interventions) == ([], [])
    assert [field for field, _ in record.warnings] == ["interventions"]
    assert "bestaat-niet" in record.warnings[0][1]
