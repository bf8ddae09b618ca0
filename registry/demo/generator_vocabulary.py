"""A large Dutch vocabulary with Zipf-like frequencies, for realistic synthetic text.

Real catalogue text has a few very common words (werk, begeleiding, cliënt) and a long
tail of rare ones; two-word searches are therefore selective, unlike text drawn from a
few dozen phrases. The tail is built from real Dutch stems as compounds (taalcoach,
wijkbudget), the way Dutch forms most of its rare words.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from functools import lru_cache

# The most frequent content words of re-integration texts, most frequent first.
COMMON = (
    "werk", "begeleiding", "cliënt", "deelnemer", "ondersteuning", "traject", "gemeente",
    "werkgever", "doel", "aanpak", "plan", "gesprek", "uitkering", "werkzoekende", "baan",
    "vaardigheden", "participatie", "re-integratie", "coaching", "netwerk", "ervaring",
    "motivatie", "zelfvertrouwen", "samenwerking", "opleiding", "werkplek", "perspectief",
    "arbeidsmarkt", "klantmanager", "consulent", "jobcoach", "praktijk", "afspraken",
    "voortgang", "evaluatie", "intake", "diagnose", "belastbaarheid", "werkritme",
    "dagbesteding", "zorg", "gezondheid", "welzijn", "financiën", "schulden", "taal",
    "gezin", "kinderopvang", "vrijwilligerswerk", "stage", "scholing", "certificaat",
    "diploma", "loonwaarde", "loonkostensubsidie", "proefplaatsing", "detachering",
    "werkervaringsplaats", "nazorg", "uitstroom", "terugval", "wijkteam", "uwv",
    "leerwerkbedrijf", "sociaal", "duurzaam", "passend", "persoonlijk", "intensief",
    "regionaal", "structureel", "laagdrempelig", "praktisch", "stapsgewijs",
)
# Real Dutch noun stems; the long tail is their two-part compounds.
STEMS = (
    "werk", "leer", "taal", "zorg", "geld", "wijk", "buurt", "school", "huis", "gezin",
    "jeugd", "loon", "baan", "markt", "plan", "doel", "team", "groep", "dienst", "stage",
    "gesprek", "contact", "bedrijf", "klant", "vak", "dag", "week", "sport", "reken",
    "lees", "voeding", "kook", "tuin", "bouw", "techniek", "opslag", "schoonmaak",
    "horeca", "winkel", "kantoor", "magazijn", "productie", "onderhoud", "groen",
    "vervoer", "post", "welzijn", "beweging", "slaap", "stress", "energie", "talent",
    "kracht", "regie", "keuze", "toekomst", "kans", "kennis", "houding", "gedrag",
    "brief", "formulier", "afspraak", "rooster", "reis", "fiets", "maatje", "mentor",
    "budget", "schuld", "hulp", "steun", "coach", "maat", "route", "pad", "stap", "brug",
    "poort", "loket", "punt", "centrum", "atelier", "keuken", "werf", "haven", "boerderij",
    "kwekerij", "fabriek", "garage", "lijn", "ketting", "netwerk", "kring", "tafel",
    "kaart", "boek", "map", "portfolio", "dossier", "profiel", "test", "scan", "meting",
    "advies", "training", "cursus", "les", "module", "workshop", "spreekuur", "ontmoeting",
    "vrijwilliger", "ouder", "kind", "jongere", "vrouw", "man", "nieuwkomer", "buur",
    "collega", "leiding", "ploeg", "dienstverlening", "ervaring", "vertrouwen", "moed",
    "rust", "ritme", "structuur", "balans", "zin", "trots", "plezier", "groei", "sprong",
)
ADJECTIVES = (
    "eerste", "nieuwe", "korte", "lange", "vaste", "eigen", "kleine", "grote", "lokale",
    "gezamenlijke", "individuele", "wekelijkse", "maandelijkse", "zelfstandige", "concrete",
    "haalbare", "realistische", "betaalde", "onbetaalde", "begeleide", "gerichte",
)
PREPOSITIONS = ("met", "voor", "bij", "naar", "in", "op", "tijdens", "na", "rond", "zonder")
ARTICLES = ("de", "het", "een")
# Zipf-Mandelbrot: weight 1 / (rank + SHIFT) ** EXPONENT; the shift flattens the head,
# since function words (de, het, een), the true top ranks, are not drawn from here.
ZIPF_EXPONENT = 1.1
ZIPF_SHIFT = 25


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, ...], list[float]]:
    """(words, cumulative weights): common words first, then shuffled compounds."""
    compounds = sorted(
        {a + b for a, b in itertools.permutations(STEMS, 2)} - set(COMMON) - set(STEMS)
    )
    random.Random(7).shuffle(compounds)  # a fixed, arbitrary rank order for the tail
    words = (*COMMON, *STEMS, *compounds)
    cumulative, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / (rank + ZIPF_SHIFT) ** ZIPF_EXPONENT
        cumulative.append(total)
    return words, cumulative


def draw(rng: random.Random, count: int) -> list[str]:
    """`count` words drawn with Zipf-like frequencies."""
    words, cumulative = vocabulary()
    top = cumulative[-1]
    return [words[bisect(cumulative, rng.random() * top)] for _ in range(count)]


def phrase(rng: random.Random) -> str:
    """A short noun phrase of Zipf-drawn words: "de wekelijkse taalcoach met het budgetplan"."""
    first, second = draw(rng, 2)
    head = f"{rng.choice(ARTICLES)} {rng.choice(ADJECTIVES) + ' ' if rng.random() < 0.4 else ''}"
    return f"{head}{first} {rng.choice(PREPOSITIONS)} {rng.choice(ARTICLES)} {second}"
