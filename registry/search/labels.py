"""Dutch labels for facets, facet values and profile explanations (through Flask-Babel)."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.evidence import LABELS as STATUS_LABELS
from registry.evidence import STATUS_RANK
from registry.i18n import language_name
from registry.search.documents import FACETS

FACET_LABELS = {
    "level": _l("Erkenning"),
    "ladder_rung": _l("Trede participatieladder"),
    "support_need": _l("Ondersteuningsbehoefte"),
    "age_band": _l("Leeftijd"),
    "target_group": _l("Doelgroep"),
    "barrier": _l("Belemmeringen"),
    "domain": _l("Wet of domein"),
    "phase": _l("Fase"),
    "intervention_type": _l("Soort interventie"),
    "provider_sector": _l("Sector aanbieder"),
    "delivery_form": _l("Vorm"),
    "setting": _l("Setting"),
    "evidence_type": _l("Soort onderbouwing"),
    "region": _l("Regio"),
    "outcome_domain": _l("Effect onderzocht op"),
    "study_design": _l("Opzet van het effectonderzoek"),
    "clearinghouse": _l("Ook beoordeeld door"),
    "positive_effect": _l("Positief effect op"),
    "applied_province": _l("Toegepast in provincie"),
    "applied_municipality": _l("Toegepast in gemeente"),
}

# The page parameters an error can name (the facets are named by FACET_LABELS).
PARAMETER_LABELS = {
    "q": _l("Zoektekst"),
    "pagina": _l("Pagina"),
    "page": _l("Pagina"),
    "sorteer": _l("Sortering"),
    "sort": _l("Sortering"),
    "per_page": _l("Aantal per pagina"),
    "rung": _l("Trede participatieladder"),
    "goal": _l("Doel van de cliënt"),
    "doel": _l("Doel van de cliënt"),
    "stap": _l("Stap"),
    "columns": _l("Kolommen"),
    "rows": _l("Rijen"),
    "organisation_id": _l("Organisatie"),
}


def in_running_text(label: str) -> str:
    """A label inside a sentence: its first letter lower case, unless it starts an
    abbreviation (WW, UWV / WW, NT2 stay as written), and the rest as written (Wmo)."""
    if len(label) > 1 and label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def parameter_label(key: str) -> str:
    """What a page calls the parameter or facet `key` (the key itself when unknown)."""
    label = PARAMETER_LABELS.get(key) or FACET_LABELS.get(key) or STUDY_FACET_LABELS.get(key)
    return str(label) if label else key


SORT_LABELS = {
    "relevance": _l("Relevantie"),
    "level": _l("Erkenningsniveau"),
    "title": _l("Titel"),
    "decided": _l("Datum besluit"),
}


def value_label(facet: str, value: str, terms: dict) -> str:
    """The label of one facet value; the code itself when the vocabulary lacks it."""
    if facet == "level":
        return _translated(str(get_locale()))[1].get(value, value)
    return terms.get(facet, {}).get(value, (0, value))[1]


def value_order(facet: str, value: str, terms: dict) -> tuple:
    if facet == "level":
        return (-STATUS_RANK.get(value, 0), value)
    return (terms.get(facet, {}).get(value, (999, value))[0], value)


def facet_groups(facets: dict, terms: dict) -> list[dict]:
    """Facets with labels, values in vocabulary order; unused unchosen values hidden."""
    facet_labels = _translated(str(get_locale()))[0]
    groups = []
    for facet in FACETS:
        values = [
            {"value": v.value, "label": value_label(facet, v.value, terms),
             "count": v.count, "selected": v.selected}
            for v in sorted(facets.get(facet, []), key=lambda v: value_order(facet, v.value, terms))
            if v.count or v.selected
        ]
        groups.append({"name": facet, "label": facet_labels[facet], "values": values})
    return groups


_TRANSLATED: dict[str, tuple[dict[str, str], dict[str, str]]] = {}


def _translated(locale: str) -> tuple[dict[str, str], dict[str, str]]:
    """FACET_LABELS and the status labels as text in this locale, translated once per
    process (a lazy text walks Flask-Babel's request context each time it is read: 40 a
    search page). Called in a request of that locale."""
    found = _TRANSLATED.get(locale)
    if found is None:
        found = _TRANSLATED[locale] = ({k: str(v) for k, v in FACET_LABELS.items()},
                                       {k: str(v) for k, v in STATUS_LABELS.items()})
    return found


Gettext = Callable[..., str]


def page_gettext() -> Gettext:
    """gettext bound to this request's translations, for the texts of a page's twenty
    results: Flask-Babel's own gettext walks the request context three times a text."""
    translate = get_translations().ugettext

    def gettext(string: str, **variables) -> str:
        text = translate(string)
        return text % variables if variables else text

    return gettext


def reason_label(facet: str, value: str, terms: dict, gettext: Gettext = _) -> str:
    """How one client characteristic reads in an explanation ("trede 2", "schulden")."""
    _ = gettext
    if facet == "ladder_rung":
        return _("trede %(rung)s", rung=value)
    if facet == "age_band":
        return _("leeftijd %(band)s", band=in_running_text(value_label(facet, value, terms)))
    return in_running_text(value_label(facet, value, terms))


def explanation_of(item, terms: dict, gettext: Gettext = _) -> str:
    """The explanation of one profile result (a registry.search.service.Item)."""
    return explanation(item.fits, item.mismatches, item.unaddressed, terms,
                       item.positive_goal_domains, item.only_age_band, item.other_barriers,
                       gettext=gettext)


def explanation(fits: list, mismatches: list, unaddressed: list, terms: dict,
                positive_goal_domains: list | tuple = (), only_age_band: str | None = None,
                other_barriers: list | tuple = (), gettext: Gettext = _) -> str:
    """One Dutch line: what fits, what does not, what the intervention does not name, the
    other barriers it is made for when none is the client's, the one age band it is made
    for when the client's age was not given, and the goal's outcome domains its effects
    are rated positive in."""
    _ = gettext

    def join(reasons: list) -> str:
        return ", ".join(reason_label(f, v, terms, gettext) for f, v in reasons)

    parts = []
    if fits:
        parts.append(_("past: %(items)s", items=join(fits)))
    if mismatches:
        parts.append(_("past niet: %(items)s", items=join(mismatches)))
    if unaddressed:
        parts.append(_("niet genoemd: %(items)s", items=join(unaddressed)))
    if other_barriers:
        parts.append(_("gemaakt voor andere belemmeringen: %(items)s",
                       items=join([("barrier", code) for code in other_barriers])))
    if only_age_band:
        parts.append(_("alleen voor %(band)s (leeftijd niet opgegeven)",
                       band=in_running_text(value_label("age_band", only_age_band, terms))))
    if positive_goal_domains:
        parts.append(_("positief effect op %(domains)s", domains=", ".join(
            in_running_text(value_label("positive_effect", d, terms))
            for d in positive_goal_domains)))
    return "; ".join(parts)


# How well a profile hit fits, shown as a label on each result (in the ranking's order).
FIT_GROUPS = ("good", "partial", "poor")
FIT_GROUP_LABELS = {
    "good": _l("Past goed"),
    "partial": _l("Past deels"),
    "poor": _l("Past niet"),
}


def fit_group(fits: int, given: int, mismatches: int, goal_matched: bool | None) -> str:
    """good: no hard mismatch and at least two thirds of the characteristics addressed
    (with only a goal: the goal matched); poor: a hard mismatch; partial: the rest."""
    if mismatches:
        return "poor"
    if given:
        return "good" if 3 * fits >= 2 * given else "partial"
    return "good" if goal_matched else "partial"


def fit_summary(fits: int, given: int, goal_matched: bool | None, gettext: Gettext = _) -> str:
    """One plain line: how many characteristics fit, and whether the goal did."""
    _ = gettext
    parts = []
    if given:
        parts.append(_("Past op %(fits)s van %(given)s kenmerken.", fits=fits, given=given))
    if goal_matched is True:
        parts.append(_("Het doel komt terug in de beschrijving."))
    elif goal_matched is False:
        parts.append(_("Het doel komt niet terug in de beschrijving."))
    return " ".join(parts)


STUDY_FACET_LABELS = {
    "study_design": _l("Onderzoeksopzet"),
    "year": _l("Jaar"),
    "appraisal": _l("Kwaliteit"),
    "language": _l("Taal"),
    "linked": _l("Gekoppeld aan een interventie"),
}
_STUDY_VALUES = {
    "none": _l("Onbekend"),
    "yes": _l("Ja"),
    "no": _l("Nee"),
    "high": _l("Hoog"),
    "moderate": _l("Redelijk"),
    "low": _l("Laag"),
}


def study_facet_groups(facets: dict, designs: dict[str, str]) -> list[dict]:
    """The study facets with labels (designs: code → label in the reader's language);
    years newest first, other values by count."""
    groups = []
    for facet in STUDY_FACET_LABELS:
        found = [v for v in facets.get(facet, []) if v.count or v.selected]
        if facet == "year":
            found.sort(key=lambda v: v.value, reverse=True)
        else:
            found.sort(key=lambda v: (-v.count, v.value))
        values = [{"value": v.value, "label": _study_value_label(facet, v.value, designs),
                   "count": v.count, "selected": v.selected} for v in found]
        groups.append({"name": facet, "label": str(STUDY_FACET_LABELS[facet]),
                       "values": values})
    return groups


def _study_value_label(facet: str, value: str, designs: dict) -> str:
    if value in _STUDY_VALUES and facet != "study_design":
        return str(_STUDY_VALUES[value])
    if facet == "study_design":
        return designs.get(value, str(_STUDY_VALUES.get(value, value)))
    if facet == "language":
        return language_name(value)
    return value
