"""The diagnosis aid (handreiking bij diagnose): from a client's situation, step by step,
to a client profile. The steps, questions and which characteristics each answer leads
to are data (diagnosis.json, versioned), shown to the user with the profile; this
module reads them and turns answers into the profile's query. Nothing is stored: the
answers travel in the page's query string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DIAGNOSIS = Path(__file__).with_name("diagnosis.json")
# The profile search's parameters (registry/schemas/search.py) per facet; one value or
# a list.
SINGLE = {"ladder_rung": "rung", "support_need": "support_need", "age_band": "age_band"}
MULTIPLE = {"target_group": "target_group", "barrier": "barrier"}
MAX_GOAL_CHARS = 300


@dataclass(frozen=True)
class Answer:
    key: str
    label: dict[str, str]
    facets: tuple[tuple[str, str], ...]  # (facet, code)


@dataclass(frozen=True)
class Question:
    key: str
    text: dict[str, str]
    help: dict[str, str] | None
    answers: tuple[Answer, ...]

    def answer(self, key: str | None) -> Answer | None:
        return next((a for a in self.answers if a.key == key), None)


@dataclass(frozen=True)
class Step:
    key: str
    title: dict[str, str]
    help: dict[str, str]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Guide:
    version: str
    steps: tuple[Step, ...]

    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]


def _pair(text: str) -> tuple[str, str]:
    facet, _, code = text.partition(":")
    return facet, code


@lru_cache(maxsize=1)
def guide() -> Guide:
    """The steps of diagnosis.json."""
    data = json.loads(DIAGNOSIS.read_text(encoding="utf-8"))
    steps = tuple(
        Step(step["key"], step["title"], step["help"], tuple(
            Question(q["key"], q["text"], q.get("help"), tuple(
                Answer(a["key"], a["label"], tuple(_pair(f) for f in a["facets"]))
                for a in q["answers"]))
            for q in step["questions"]))
        for step in data["steps"])
    return Guide(data["version"], steps)


def chosen(args) -> dict[str, Answer]:
    """The known answers among the query's parameters (question key -> answer); an
    unknown question or answer is left out."""
    found = {}
    for question in guide().questions():
        answer = question.answer(args.get(question.key))
        if answer is not None:
            found[question.key] = answer
    return found


def profile_query(answers: dict[str, Answer], goal: str = "") -> dict[str, list[str]]:
    """The profile search's query string for these answers (and the goal, if any)."""
    query: dict[str, list[str]] = {}
    for answer in answers.values():
        for facet, code in answer.facets:
            name = SINGLE.get(facet) or MULTIPLE.get(facet)
            if name in SINGLE.values():
                query[name] = [code]
            elif name and code not in query.setdefault(name, []):
                query[name].append(code)
    if goal.strip():
        query["goal"] = [goal.strip()[:MAX_GOAL_CHARS]]
    return query


def reasons(answers: dict[str, Answer]) -> list[tuple[Question, Answer]]:
    """(question, answer) for each answer that leads to a characteristic, in step order."""
    return [(q, answers[q.key]) for q in guide().questions()
            if q.key in answers and answers[q.key].facets]
