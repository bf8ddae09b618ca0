"""marshmallow's own messages in Dutch for every field type the forms use."""

import pytest
from marshmallow import ValidationError, fields

from registry.schemas.dutch import DutchSchema


class _Sample(DutchSchema):
    number = fields.Float()
    decimal = fields.Decimal()
    day = fields.Date()
    moment = fields.DateTime()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("number", "0,3x", "Geef een getal, bijvoorbeeld 0,35."),
    ("decimal", "veel", "Geef een getal, bijvoorbeeld 0,35."),
    ("day", "1 februari 2024", "Geef een datum als JJJJ-MM-DD."),
    ("moment", "gisteren", "Geef een datum en tijd."),
])
def test_a_value_of_the_wrong_kind_is_refused_in_dutch(app, field, value, message):
    with app.test_request_context(), pytest.raises(ValidationError) as refused:
        _Sample().load({field: value})
    assert [str(m) for m in refused.value.messages[field]] == [message]
