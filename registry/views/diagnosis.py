"""The diagnosis aid (/zoeken/diagnose): a guided page per step of diagnosis.json, each a
short form, then the client profile the answers lead to, why, and its short list. Works
without JavaScript; the answers travel in the query string and nothing is stored."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, pre_load, validate

from registry.errors import ValidationFailed, details_from_marshmallow
from registry.schemas.search import profile_from_query
from registry.search import labels, service
from registry.search.diagnosis import MAX_GOAL_CHARS, chosen, guide, profile_query, reasons
from registry.search.terms import term_labels
from registry.views import bp
from registry.views.search import describe_fit, fit_labels, search_root
from search_index.storage import IndexUnavailable

SHORT_LIST = 5


class DiagnosisQuerySchema(Schema):
    class Meta:
        unknown = "exclude"  # the answers are read by registry.search.diagnosis.chosen

    stap = fields.Integer(load_default=1, validate=validate.Range(1, len(guide().steps) + 1))
    doel = fields.String(load_default="", validate=validate.Length(max=MAX_GOAL_CHARS))

    @pre_load
    def _line_ends_as_one(self, data, **kwargs):
        # A browser counts a line break as one character against the textarea's
        # maxlength and sends it as two (CRLF): a goal the form allowed came back too long.
        if "doel" in data:
            data = {**data, "doel": data["doel"].replace("\r\n", "\n")}
        return data


def _args() -> dict:
    try:
        return DiagnosisQuerySchema().load(request.args)
    except ValidationError as error:
        raise ValidationFailed(_("Ongeldige invoer."), details_from_marshmallow(error.messages)
                               ) from None


@bp.get("/zoeken/diagnose")
def diagnosis():
    args = _args()
    answers = chosen(request.args)
    locale = "en" if str(get_locale()) == "en" else "nl"
    steps = guide().steps
    context = {"steps": steps, "answers": answers, "locale": locale, "goal": args["doel"],
               "number": args["stap"]}
    if args["stap"] <= len(steps):
        step = steps[args["stap"] - 1]
        others = [(key, a.key) for key, a in answers.items()
                  if key not in {q.key for q in step.questions}]
        return render_template("search/diagnosis.html", step=step, others=others, **context)
    return _profile_page(answers, args["doel"], context)


def _profile_page(answers, goal: str, context: dict):
    query = profile_query(answers, goal)
    terms = term_labels(str(get_locale()))
    chosen_pairs = [(facet, code) for _q, answer in reasons(answers)
                    for facet, code in answer.facets]
    short_list, total, unavailable = [], 0, False
    if query:
        profile = profile_from_query(query)
        try:
            result, short_list = service.search_profile(search_root(), profile, 1, SHORT_LIST)
            total = result.total
            # As on the profile results: an intervention one rung away can rank high
            # ("Past niet"), and the short list must say so.
            describe_fit(short_list, len(profile.characteristics()), terms)
        except IndexUnavailable as error:
            current_app.logger.warning("search index unavailable: %s", error)
            unavailable = True
    return render_template(
        "search/diagnosis.html", step=None, reasons=reasons(answers), terms=terms,
        characteristics=[(labels.FACET_LABELS.get(f, f), labels.value_label(f, c, terms))
                         for f, c in chosen_pairs],
        short_list=short_list, total=total, unavailable=unavailable, fit_labels=fit_labels(),
        profile_url=url_for("pages.search_profile") + "?" + urlencode(
            [(k, v) for k, values in query.items() for v in values]),
        others=[(key, a.key) for key, a in answers.items()], version=guide().version,
        labels_value=lambda facet, code: labels.value_label(facet, code, terms), **context)
