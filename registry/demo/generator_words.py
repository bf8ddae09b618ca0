"""Dutch word lists and sentence templates for the synthetic catalogue generator."""

from __future__ import annotations

import random
import re
import unicodedata

from registry.demo import generator_vocabulary as vocabulary

TYPE_TITLES = {
    "training": ["Vakgerichte scholing", "Training werknemersvaardigheden", "Leerwerktraject"],
    "job_application_training": ["Sollicitatietraining", "Solliciteren met succes"],
    "work_experience": ["Werkervaringsplaats", "Werkervaringstraject", "Leerwerkplek"],
    "trial_placement": ["Proefplaatsing", "Proefplaatsing met behoud van uitkering"],
    "job_coaching": ["Jobcoaching op de werkvloer", "Jobcoaching", "Intensieve begeleiding"],
    "wage_subsidy": ["Loonkostensubsidie", "Inzet loonwaardemeting"],
    "secondment": ["Detachering", "Detacheringsbaan"],
    "sheltered_work": ["Beschut werk", "Beschutte werkplek"],
    "entrepreneurship": ["Begeleiding naar ondernemerschap", "Microkrediet en coaching"],
    "debt_help": ["Schuldhulpverlening", "Vroegsignalering schulden", "Schuldhulp op maat"],
    "language_course": ["Taaltraject", "Taal op de werkvloer", "Taalcoaching"],
    "activation": ["Activering", "Dagbesteding met perspectief", "Meedoen in de wijk"],
    "employer_services": ["Werkgeversdienstverlening", "Matchen op talent"],
    "ips": ["Individuele plaatsing en steun (IPS)", "IPS-trajectbegeleiding"],
}
TARGETS = {
    "social_assistance": "bijstandsgerechtigden", "youth_no_qualification": "jongeren",
    "wajong": "Wajongers", "ww": "werkzoekenden met WW", "newcomers": "statushouders",
    "non_benefit": "niet-uitkeringsgerechtigden", "job_agreement": "arbeidsbeperkten",
    "sheltered_work": "mensen in beschut werk", "self_employed": "zelfstandigen",
    "single_parents": "alleenstaande ouders", "over_55": "55-plussers",
}
PROVINCES = ("groningen", "friesland", "drenthe", "overijssel", "flevoland", "gelderland",
             "utrecht", "noord_holland", "zuid_holland", "zeeland", "noord_brabant", "limburg")
QUALIFIERS = ("", "op maat", "in de wijk", "met nazorg", "in de regio", "met een maatje",
              "stap voor stap", "plus", "intensief", "kort")

# Words a record uses when it has a tag: a debt-help record talks about schulden.
TOPICS = {
    "debt": ("schulden", "schuldhulpverlening", "budgetcoach", "betalingsachterstanden",
             "bewindvoering", "schuldhulp"),
    "language": ("taalniveau", "NT2", "taalcoach", "inburgering", "taalcursus"),
    "mental_health": ("psychische klachten", "ggz", "angst", "somberheid", "herstel"),
    "physical_health": ("lichamelijke klachten", "pijn", "bedrijfsarts", "energie"),
    "addiction": ("verslaving", "middelengebruik", "verslavingszorg"),
    "mild_intellectual_disability": ("lvb", "licht verstandelijke beperking", "visueel"),
    "autism": ("autisme", "prikkels", "voorspelbaarheid", "structuur"),
    "care_duties": ("mantelzorg", "kinderopvang", "zorgtaken", "combineren"),
    "no_qualification": ("startkwalificatie", "mbo", "diploma", "praktijkverklaring"),
    "long_term_unemployed": ("langdurig werkloos", "afstand tot de arbeidsmarkt"),
    "criminal_record": ("justitie", "vog", "reclassering", "detentie"),
    "housing": ("huisvesting", "dakloosheid", "woning", "opvang"),
    "mobility": ("vervoer", "rijbewijs", "reistijd", "ov"),
    "youth_no_qualification": ("jongeren", "jongerenloket", "schoolverlaters"),
    "newcomers": ("statushouders", "nieuwkomers", "vluchtelingen", "inburgeraars"),
    "wajong": ("wajongers", "arbeidsbeperking"),
    "job_agreement": ("banenafspraak", "arbeidsbeperkten", "garantiebaan"),
    "single_parents": ("alleenstaande ouders", "eenoudergezin"),
    "over_55": ("ouderen", "55-plussers", "oudere werkzoekenden"),
    "social_assistance": ("bijstand", "bijstandsgerechtigden", "participatiewet"),
    "self_employed": ("zelfstandigen", "zzp", "ondernemers"),
    "job_coaching": ("jobcoaching", "jobcoach", "werkplekbegeleiding"),
    "debt_help": ("schuldhulp", "schuldregeling", "stabilisatie"),
    "language_course": ("taalles", "taalcursus", "spreekvaardigheid"),
    "wage_subsidy": ("loonkostensubsidie", "loonwaardemeting", "loondispensatie"),
    "trial_placement": ("proefplaatsing", "proefperiode", "behoud van uitkering"),
    "secondment": ("detachering", "detacheringsbaan", "inlener"),
    "work_experience": ("werkervaringsplaats", "werkervaring", "leerwerkplek"),
    "entrepreneurship": ("ondernemerschap", "bedrijfsplan", "microkrediet"),
    "sheltered_work": ("beschut werk", "beschutte werkplek", "sociaal ontwikkelbedrijf"),
    "ips": ("ips", "individuele plaatsing en steun", "ggz"),
    "employer_services": ("werkgeversdienstverlening", "vacatures", "matching"),
}
# Mostly generic subjects; the roles named in queries (jobcoach, werkgever) only sometimes.
SUBJECTS = ("De deelnemer", "Het programma", "De aanpak", "Het traject", "De begeleider",
            "Men", "De methode", "Het team", "Een professional", "De organisatie")
ROLES = ("De klantmanager", "De jobcoach", "Een consulent", "Het wijkteam", "De werkgever",
         "De re-integratieconsulent", "Een ervaringsdeskundige", "De schuldhulpverlener",
         "De taalcoach")
VERBS = ("ondersteunt", "bespreekt", "plant", "stemt af", "evalueert", "versterkt",
         "onderzoekt", "organiseert", "volgt", "werkt aan", "richt zich op", "begeleidt")


def sentence(rng: random.Random, topics: tuple[str, ...] = ()) -> str:
    """One Dutch sentence about re-integration practice; may mention one of `topics`."""
    subject = rng.choice(ROLES if rng.random() < 0.08 else SUBJECTS)
    parts = [subject, rng.choice(VERBS), vocabulary.phrase(rng)]
    if topics and rng.random() < 0.35:
        parts.append(f"{rng.choice(('bij', 'rond', 'voor', 'met'))} {rng.choice(topics)}")
    else:
        parts.append(f"{rng.choice(vocabulary.PREPOSITIONS)} {vocabulary.phrase(rng)}")
    return " ".join(parts) + "."


def paragraph(rng: random.Random, sentences: int, topics: tuple[str, ...] = ()) -> str:
    return " ".join(sentence(rng, topics) for _ in range(sentences))


def topics_of(tags: dict[str, list[str]]) -> tuple[str, ...]:
    """The topic words of a record's tags."""
    return tuple(w for codes in tags.values() for code in codes for w in TOPICS.get(code, ()))


def title(rng: random.Random, intervention_type: str, target_group: str) -> str:
    head = rng.choice(TYPE_TITLES[intervention_type])
    qualifier = rng.choice(QUALIFIERS)
    return " ".join(p for p in (head, qualifier, "voor", TARGETS[target_group]) if p)


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:120]
