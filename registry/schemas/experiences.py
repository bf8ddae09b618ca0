"""Practice experiences: the professional's form (and its checks, field by field), the
secretary's moderation, and the published experience as the API and the data package
give it."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates, validates_schema

from registry.models.experience import EXPERIENCE_STATUSES
from registry.schemas.dutch import DutchSchema
from registry.services.personal_data import KINDS, personal_data_in

EARLIEST = date(1990, 1, 1)
MAX_TEXT = 4000
MAX_PARTICIPANTS = 100_000
# Narrative fields are about a group and a way of working; a citizen service number,
# an e-mail address or a phone number in them points to a person (dates are normal).
NARRATIVE_FIELDS = ("target_group", "adaptations", "observations", "lessons")
_NARRATIVE_KINDS = ("bsn", "email", "phone")


def _text(required: bool, minimum: int = 1, maximum: int = MAX_TEXT) -> fields.String:
    length = validate.Length(min=minimum, max=maximum)
    if required:
        return fields.String(required=True, validate=length)
    return fields.String(load_default=None, allow_none=True, validate=length)


class ExperienceInputSchema(DutchSchema):
    municipality = fields.String(required=True, validate=validate.Length(min=1, max=60))
    started_on = fields.Date(required=True)
    ended_on = fields.Date(load_default=None, allow_none=True)
    participants = fields.Integer(load_default=None, allow_none=True, strict=False,
                                  validate=validate.Range(min=1, max=MAX_PARTICIPANTS))
    target_group = _text(True, 3, 300)
    adaptations = _text(False)
    observations = _text(True, 20)
    lessons = _text(False)
    contact_name = _text(True, 2, 200)
    contact_email = fields.Email(required=True, validate=validate.Length(max=254))

    @validates("started_on")
    def _start_in_range(self, value: date, **kwargs: Any) -> None:
        if value < EARLIEST:
            raise ValidationError(_("Een begin voor 1990 kan niet."))
        if value > date.today():
            raise ValidationError(_("Een begin in de toekomst kan niet: deel de ervaring "
                                    "als de uitvoering is begonnen."))

    @validates("ended_on")
    def _end_not_ahead(self, value: date | None, **kwargs: Any) -> None:
        if value is not None and value > date.today():
            raise ValidationError(_("Een einde in de toekomst kan niet; laat het leeg als "
                                    "de uitvoering nog loopt."))

    @validates_schema
    def _period_and_privacy(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            errors["ended_on"] = [_("Het einde ligt voor het begin.")]
        for name in NARRATIVE_FIELDS:
            found = [k for k in personal_data_in(data.get(name) or "")
                     if k in _NARRATIVE_KINDS]
            if found:
                errors[name] = [_("Dit lijkt persoonsgegevens te bevatten (%(kinds)s). "
                                  "Beschrijf de groep en de aanpak, niet een persoon.",
                                  kinds=", ".join(str(KINDS[k]) for k in found))]
        if errors:
            raise ValidationError(errors)


class ModerationInputSchema(DutchSchema):
    """The secretary's decision; a reason is required to refuse or take down."""

    decision = fields.String(required=True, validate=validate.OneOf(("publish", "reject")))
    note = fields.String(load_default=None, validate=validate.Length(max=1000))
    # The status the secretary's page showed: a decision taken since is not overruled.
    status_shown = fields.String(load_default=None, validate=validate.OneOf(EXPERIENCE_STATUSES))

    @validates_schema
    def _reason_to_reject(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("decision") == "reject" and len((data.get("note") or "").strip()) < 10:
            raise ValidationError({"note": [_("Geef de reden (minstens 10 tekens); de "
                                              "inzender krijgt die te zien.")]})


class ExperienceOutSchema(DutchSchema):
    """A published experience (API). The contact is published with the sender's consent;
    the data package leaves it out (registry/opendata/resources.py)."""

    id = fields.Integer(required=True)
    municipality = fields.String(attribute="municipality.code", required=True,
                                 metadata={"description": "CBS municipality code, GM0363."})
    municipality_name = fields.String(attribute="municipality.label_nl", required=True)
    province = fields.String(attribute="municipality.broader_code", allow_none=True,
                             metadata={"description": "A code of the 'region' vocabulary."})
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True, metadata={"description": "Null while running."})
    participants = fields.Integer(allow_none=True)
    target_group = fields.String(required=True)
    adaptations = fields.String(allow_none=True)
    observations = fields.String(required=True)
    lessons = fields.String(allow_none=True)
    contact_name = fields.String(required=True)
    contact_email = fields.String(required=True)


class ExperienceListSchema(DutchSchema):
    intervention = fields.String(required=True)
    experiences = fields.List(fields.Nested(ExperienceOutSchema), required=True)
