"""Dutch (translatable) error messages for marshmallow's built-in fields and validators.

marshmallow's own messages are English ("Missing data for required field."); the forms
show field errors to Dutch users, so the account and procedure schemas say it in Dutch
through Flask-Babel. A message set explicitly on a field or validator is kept. Every
text field of such a schema also refuses control characters (no_control_characters).
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

_REQUIRED = _l("Dit veld is verplicht.")
# Control characters no one types (NUL, escape ...), lone surrogates (a JSON "\ud800"
# that no UTF-8 can store) and Unicode's noncharacters (XML cannot hold U+FFFE or
# U+FFFF); tab, newline and carriage return pass.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef"
                      "\ufffe\uffff]")


def no_control_characters(value: str) -> None:
    """Refuse text holding a control character: PostgreSQL cannot store NUL, and none
    belongs in a form's or request's text."""
    found = _CONTROL.search(value) if isinstance(value, str) else None
    if found:
        raise ValidationError(_("De tekst bevat een onzichtbaar stuurteken (%(code)s) op "
                                "positie %(position)s; haal het weg.",
                                code=f"U+{ord(found.group()):04X}",
                                position=found.start() + 1))


def not_blank(value: str) -> None:
    """A required text needs more than spaces (a reason, a comment, grounds)."""
    if not value.strip():
        raise ValidationError(str(_REQUIRED))

_INVALID = (  # most specific type first
    (fields.Email, _l("Geef een geldig e-mailadres.")),
    (fields.Url, _l("Geef een geldig webadres, beginnend met https://.")),
    (fields.Integer, _l("Geef een geheel getal.")),
    (fields.Number, _l("Geef een getal, bijvoorbeeld 0,35.")),
    (fields.Date, _l("Geef een datum als JJJJ-MM-DD.")),
    (fields.DateTime, _l("Geef een datum en tijd.")),
    (fields.Boolean, _l("Geef ja of nee.")),
    (fields.String, _l("Geef tekst.")),
    (fields.List, _l("Geef een lijst.")),
    (fields.Dict, _l("Geef per woordenlijst een lijst met codes.")),
)


def _length_message(validator: validate.Length):
    if validator.min == 1 and validator.max is None:
        return _REQUIRED
    if validator.max is None:
        return _l("Geef minstens {min} tekens.")
    if validator.min is None:
        return _l("Gebruik hooguit {max} tekens.")
    return _l("Gebruik {min} tot {max} tekens.")


def _range_message(validator: validate.Range):
    if validator.max is None:
        return _l("Geef een getal van minstens {min}.")
    if validator.min is None:
        return _l("Geef een getal van hooguit {max}.")
    return _l("Geef een getal van {min} tot en met {max}.")


def _translate_validators(field: fields.Field) -> None:
    for validator in field.validators:
        if isinstance(validator, validate.Length) and validator.error is None:
            validator.error = _length_message(validator)
        elif isinstance(validator, validate.Range) and validator.error is None:
            validator.error = _range_message(validator)
        elif isinstance(validator, validate.OneOf) and validator.error == validator.default_message:
            validator.error = _l("Kies een van de mogelijkheden.")
        elif isinstance(validator, validate.URL | validate.Email):
            # Url and Email fields add these validators with their English "invalid" text.
            validator.error = next(m for kind, m in _INVALID if isinstance(field, kind))


def translate_field(field: fields.Field) -> None:
    """Give one field (and the fields inside a list or dict) Dutch messages."""
    # In a list: marshmallow formats only plain str messages, and wraps only those in one.
    messages = dict(field.error_messages)
    messages.update(required=[_REQUIRED], null=[_REQUIRED])
    invalid = next((m for kind, m in _INVALID if isinstance(field, kind)), None)
    if invalid is not None and "invalid" in messages:
        messages["invalid"] = [invalid]
    field.error_messages = messages
    if isinstance(field, fields.String) and no_control_characters not in field.validators:
        field.validators.append(no_control_characters)
    _translate_validators(field)
    for inner in (getattr(field, "inner", None), getattr(field, "key_field", None),
                  getattr(field, "value_field", None)):
        if inner is not None:
            translate_field(inner)


class DutchSchema(Schema):
    """A schema whose built-in error messages are Dutch (and translated)."""

    error_messages = {"unknown": _l("Onbekend veld: dit veld bestaat niet (een typefout?).")}

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        translate_field(field_obj)
