"""Readable, translated names for the codes stored in records (the pages never show codes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Headings for the tag vocabularies, in the order the intervention page lists them.
VOCABULARY_NAMES = {
    "target_group": _l("Doelgroep"),
    "age_band": _l("Leeftijd"),
    "support_need": _l("Ondersteuningsbehoefte"),
    "barrier": _l("Belemmeringen"),
    "domain": _l("Wet of domein"),
    "phase": _l("Fase"),
    "intervention_type": _l("Soort interventie"),
    "delivery_form": _l("Vorm"),
    "setting": _l("Plaats van uitvoering"),
    "provider_sector": _l("Sector van de aanbieder"),
    "evidence_type": _l("Soort kennis"),
    "region": _l("Regio"),
}

DIRECTIONS = {
    "favourable": _l("Gunstig"),
    "null": _l("Geen verschil"),
    "unfavourable": _l("Ongunstig"),
}

QUALITY = {
    "high": _l("Hoog"),
    "moderate": _l("Redelijk"),
    "low": _l("Laag"),
}

# Follow-up horizons of the ratings per outcome domain (registry/effects/domains.py).
HORIZONS = {
    "short": _l("Korte termijn (minder dan 6 maanden)"),
    "medium": _l("Middellange termijn (6 tot en met 12 maanden)"),
    "long": _l("Lange termijn (meer dan 12 maanden)"),
    "unknown": _l("Meetmoment onbekend"),
}

# The rating the findings of one domain and horizon propose.
DOMAIN_RATINGS = {
    "positive": _l("Positief effect"),
    "potentially_positive": _l("Mogelijk positief effect"),
    "mixed": _l("Gemengd effect"),
    "no_effect": _l("Geen aantoonbaar effect"),
    "potentially_negative": _l("Mogelijk negatief effect"),
    "negative": _l("Negatief effect"),
    "insufficient": _l("Onvoldoende onderzoek"),
}

# Why a finding does not count towards its domain's rating and pooled estimate.
NOT_COUNTED = {
    "not_controlled": _l("telt niet mee: geen gecontroleerde studie"),
    "quality_not_sufficient": _l("telt niet mee: kwaliteit van de studie onvoldoende"),
    "excluded_by_coder": _l("telt niet mee: uitgesloten bij het coderen"),
    "another_finding_of_the_study": _l("telt niet mee: een andere bevinding van dezelfde "
                                       "studie telt al"),
}

# Why a finding is not on the common scale (registry/effects/effect_sizes.py).
NOT_CONVERTED = {
    "no_effect_type": _l("geen effectmaat gecodeerd"),
    "no_comparison_group": _l("geen vergelijkingsgroep"),
    "hazard_ratio": _l("een hazard ratio is niet om te rekenen zonder gegevens over de tijd"),
    "needs_proportions": _l("proporties en groepsgroottes ontbreken"),
    "needs_standard_deviations": _l("standaarddeviaties ontbreken"),
    "needs_precision": _l("betrouwbaarheidsinterval of groepsgroottes ontbreken"),
}

POOLING_METHODS = {
    "REML": _l("random effects, REML"),
    "DL": _l("random effects, DerSimonian-Laird"),
}

# A study's follow-up band (DOMAIN's kort / lang / zeer lang), with its range: the
# effects per domain group findings by other terms (HORIZONS: 6 and 12 months), and a
# bare "kort" beside "middellange termijn" for the same 9 months read as a contradiction.
FOLLOW_UP_BANDS = {
    "short": _l("follow-up kort: minder dan 12 maanden"),
    "long": _l("follow-up lang: 12 tot en met 36 maanden"),
    "very_long": _l("follow-up zeer lang: meer dan 36 maanden"),
}

EFFECT_SIZE_TYPES = {
    "cohens_d": _l("Cohens d"),
    "hedges_g": _l("Hedges' g"),
    "odds_ratio": _l("Odds ratio"),
    "risk_ratio": _l("Relatief risico"),
    "hazard_ratio": _l("Hazard ratio"),
    "risk_difference": _l("Risicoverschil"),
    "mean_difference": _l("Verschil in gemiddelden"),
}

# The fields of a coded finding (the double-coding form and its differences).
FINDING_FIELDS = {
    "outcome_domain": _l("Uitkomstdomein"),
    "time_point_months": _l("Meetmoment (maanden)"),
    "measure": _l("Uitkomstmaat"),
    "effect_size_type": _l("Soort effectmaat"),
    "effect_size": _l("Effectgrootte"),
    "ci_lower": _l("Betrouwbaarheidsinterval, ondergrens"),
    "ci_upper": _l("Betrouwbaarheidsinterval, bovengrens"),
    "n_intervention": _l("Aantal in de interventiegroep"),
    "n_comparison": _l("Aantal in de vergelijkingsgroep"),
    "value_intervention": _l("Gemiddelde of proportie, interventiegroep"),
    "value_comparison": _l("Gemiddelde of proportie, vergelijkingsgroep"),
    "sd_intervention": _l("Standaarddeviatie, interventiegroep"),
    "sd_comparison": _l("Standaarddeviatie, vergelijkingsgroep"),
    "direction": _l("Richting"),
    "lower_is_better": _l("Welke kant is beter"),
}

STUDY_RELATIONS = {
    "effect": _l("Effectonderzoek"),
    "process": _l("Procesevaluatie"),
    "theory": _l("Theoretische onderbouwing"),
    "other": _l("Overig onderzoek"),
}

PUBLICATION_TYPES = {
    "journal_article": _l("Tijdschriftartikel"),
    "report": _l("Rapport"),
    "thesis": _l("Proefschrift"),
    "book_chapter": _l("Hoofdstuk in een boek"),
    "conference_paper": _l("Congresbijdrage"),
}

# Keys match registry.services.catalogue.INTERVENTION_SORTS and STUDY_SORTS.
INTERVENTION_SORTS = {
    "title": _l("Titel (A–Z)"),
    "-title": _l("Titel (Z–A)"),
    "-level": _l("Sterkste erkenning eerst"),
    "level": _l("Zwakste erkenning eerst"),
    "-decided": _l("Nieuwste besluit eerst"),
    "decided": _l("Oudste besluit eerst"),
}

STUDY_SORTS = {
    "-year": _l("Nieuwste eerst"),
    "year": _l("Oudste eerst"),
    "title": _l("Titel (A–Z)"),
    "-title": _l("Titel (Z–A)"),
}
# When searching, the orders the study index keeps (registry/search/study_service.py).
STUDY_SEARCH_SORTS = {
    "relevance": _l("Relevantie"),
    "-year": _l("Nieuwste eerst"),
    "title": _l("Titel (A–Z)"),
}


# The counts an import batch records (importers.pipeline.ImportReport.counts and
# importers.findings), as a researcher reads them.
IMPORT_COUNTS = {
    "total": _l("Records"),
    "new": _l("Nieuw"),
    "duplicates": _l("Dubbel"),
    "merged": _l("Samengevoegd"),
    "probable": _l("Mogelijk dubbel"),
    "invalid": _l("Ongeldig"),
    "warnings": _l("Met waarschuwing"),
    "rows": _l("Regels"),
    "added": _l("Toegevoegd"),
    "skipped": _l("Overgeslagen"),
    "updated": _l("Bijgewerkt"),
    "unchanged": _l("Ongewijzigd"),
    "conflicting": _l("Conflicterend"),
}


# What an audit event did, in words (the audit page never shows the codes).
AUDIT_ACTIONS = {
    "create_draft": _l("Concept aangemaakt"),
    "save_draft": _l("Concept opgeslagen"),
    "draft": _l("Nieuw concept gestart"),
    "submit": _l("Ingediend"),
    "start_screening": _l("Screening begonnen"),
    "return": _l("Teruggestuurd naar de indiener"),
    "accept": _l("Toegelaten tot beoordeling"),
    "assign_reviewer": _l("Beoordelaar toegewezen"),
    "remove_reviewer": _l("Beoordelaar verwijderd"),
    "declare_no_conflict": _l("Geen belangenconflict verklaard"),
    "declare_conflict": _l("Belang gemeld"),
    "submit_assessment": _l("Beoordeling ingediend"),
    "open_discussion": _l("Bespreking geopend"),
    "decide": _l("Besluit vastgelegd"),
    "record_decision": _l("Besluit vastgelegd"),
    "confirm_decision": _l("Besluit bevestigd"),
    "reopen_discussion": _l("Bespreking heropend"),
    "publish": _l("Besluit gepubliceerd"),
    "expire": _l("Verlopen"),
    "withdraw": _l("Ingetrokken"),
    "object": _l("Bezwaar gemaakt"),
    "lodge_objection": _l("Bezwaar ingediend"),
    "request_reassessment": _l("Herbeoordeling aangevraagd"),
    "answer_remarks": _l("Screeningsopmerkingen beantwoord"),
    "create_user": _l("Gebruiker aangemaakt"),
    "set_roles": _l("Rollen gewijzigd"),
    "set_active": _l("Actief of inactief gezet"),
    "set_organisation": _l("Organisatie gewijzigd"),
    "set_expertise": _l("Deskundigheid gewijzigd"),
    "advice_requested": _l("Advies gevraagd over het concept"),
    "advice_given": _l("Advies gegeven over het concept"),
    "nominated": _l("Voorgedragen"),
    "nomination_handled": _l("Voordracht behandeld"),
    "findings_coded": _l("Bevindingen gecodeerd"),
    "add_external_rating": _l("Oordeel van een andere databank toegevoegd"),
    "remove_external_rating": _l("Oordeel van een andere databank verwijderd"),
    "finding_adjudicated": _l("Verschil in codering beslist"),
    "import_intervention": _l("Geïmporteerd uit een andere databank"),
    "undo_import_intervention": _l("Import uit een andere databank ongedaan gemaakt"),
}

# The panel's appraisal of an effect study (registry/effects/appraisal.py).
APPRAISAL_RATINGS = {
    "meets_without_reservations": _l("Voldoet zonder voorbehoud"),
    "meets_with_reservations": _l("Voldoet met voorbehoud"),
    "does_not_meet": _l("Voldoet niet"),
}

APPRAISAL_REASONS = {
    "no_comparison_group": _l("geen vergelijkingsgroep"),
    "confounding": _l("een verstorende factor valt samen met de interventie"),
    "outcome_measures": _l("de uitkomstmaten zijn niet valide of betrouwbaar"),
    "analysis": _l("de analyse schiet tekort"),
    "baseline_not_equivalent": _l("de groepen verschillen bij de start meer dan 0,25 SD"),
    "baseline_not_adjusted": _l("de groepen verschillen bij de start 0,05 tot 0,25 SD en de "
                                "analyse corrigeert daar niet voor"),
    "baseline_unknown": _l("niet bekend of de groepen bij de start gelijk waren"),
    "randomisation_compromised": _l("de groepen zijn niet door loting gevormd"),
    "high_attrition": _l("hoge of onbekende uitval"),
    "not_randomised": _l("niet gerandomiseerd"),
}

APPRAISAL_QUESTIONS = {
    "design": _l("Onderzoeksopzet"),
    "group_formation": _l("Hoe de groepen zijn gevormd"),
    "overall_attrition": _l("Totale uitval (%)"),
    "differential_attrition": _l("Verschil in uitval tussen de groepen (procentpunten)"),
    "baseline_difference": _l("Verschil tussen de groepen bij de start op de uitkomst (in SD)"),
    "confounding": _l("Verstorende factoren"),
    "outcome_measures": _l("Validiteit en betrouwbaarheid van de uitkomstmaten"),
    "analysis": _l("Analyse"),
}

APPRAISAL_CHOICES = {
    "design": {"rct": _l("Gerandomiseerd (RCT)"),
               "quasi_experimental": _l("Quasi-experimenteel, met vergelijkingsgroep"),
               "pre_post": _l("Voor- en nameting zonder vergelijkingsgroep"),
               "other": _l("Anders")},
    "group_formation": {"random": _l("Door loting"),
                        "matched": _l("Door matching of een statistisch model"),
                        "existing_groups": _l("Bestaande groepen (bijv. andere gemeente, "
                                              "wachtlijst)"),
                        "self_selected": _l("Zelfselectie of onbekend")},
    "confounding": {"none": _l("Geen"),
                    "present": _l("Een factor valt samen met de interventie (bijv. één "
                                  "klantmanager of één gemeente per groep)")},
    "outcome_measures": {"valid_reliable": _l("Valide en betrouwbaar"),
                         "doubtful": _l("Twijfelachtig")},
    "analysis": {"appropriate": _l("Passend"), "flawed": _l("Schiet tekort")},
}

# The criteria the panel's agreement is measured on, with the bands of the numbers.
APPRAISAL_CRITERIA = {
    "design": _l("Onderzoeksopzet"),
    "group_formation": _l("Vorming van de groepen"),
    "attrition": _l("Uitval (laag, hoog, onbekend)"),
    "baseline": _l("Gelijkheid bij de start (in banden van SD)"),
    "confounding": _l("Verstorende factoren"),
    "outcome_measures": _l("Uitkomstmaten"),
    "analysis": _l("Analyse"),
    "rating": _l("Oordeel over de studie"),
}
