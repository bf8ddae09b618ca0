"""The demo loader on small hand-written data: creation, idempotence, clear errors."""

import json

import pytest
from sqlalchemy import func, select

from registry.demo.loader import DemoDataError, load_demo
from registry.models import Intervention, Study

ORGANISATIONS = [
    {
        "slug": "gemeente-test",
        "name": "Gemeente Test",
        "kind": "municipality",
        "sector": "public",
        "city": "Test",
        "website": "https://www.gemeente-test.example",
    }
]


def _intervention(**overrides):
    record = {
        "slug": "proef-interventie",
        "owner": "gemeente-test",
        "providers": ["gemeente-test"],
        "title": "Proefinterventie",
        "summary": "Samenvatting.",
        "main_aim": "Werk.",
        "sub_aims": ["Ritme"],
        "target_group_text": "Bijstand.",
        "targets_household": False,
        "approach": "Begeleiding.",
        "active_elements": ["Coaching"],
        "ladder_rung_min": 2,
        "ladder_rung_max": 4,
        "year_started": 2019,
        "tags": {"barrier": ["debt"], "phase": ["guidance"]},
        "decisions": [
            {
                "outcome": "effective_first",
                "level": "effective_first",
                "decided_on": "2018-03-01",
                "valid_until": "2023-03-01",
                "expired": True,
                "rationale": "Voor- en nameting.",
                "ratings": [{"outcome_domain": "work", "level": "effective_first"}],
            }
        ],
        "earlier_version": {"duration": "3 maanden"},
    }
    record.update(overrides)
    return record


STUDY = {
    "key": "proef2020",
    "title": "Een proefstudie",
    "authors": [{"family": "Berg", "particle": "van der", "given": "A."}],
    "year": 2020,
    "doi": "10.5555/PROEF.1",
    "design": "before_after",
    "interventions": [{"slug": "proef-interventie", "relation": "effect"}],
    "findings": [
        {
            "outcome_domain": "work",
            "measure": "Aan het werk",
            "effect_size_type": "risk_ratio",
            "effect_size": 1.2,
            "ci_lower": 1.0,
            "ci_upper": 1.4,
            "direction": "favourable",
        }
    ],
}


@pytest.fixture
def data_dir(tmp_path):
    def write(interventions, studies=(STUDY,)):
        (tmp_path / "organisations.json").write_text(json.dumps(ORGANISATIONS))
        (tmp_path / "interventions-x.json").write_text(json.dumps(list(interventions)))
        (tmp_path / "studies-x.json").write_text(json.dumps(list(studies)))
        return tmp_path

    return write


def test_load_creates_versions_decision_and_links(db_session, data_dir):
    load_demo(data_dir([_intervention()]))
    intervention = db_session.scalars(
        select(Intervention).filter_by(slug="proef-interventie")
    ).one()
    assert [v.status for v in intervention.versions] == ["superseded", "published"]
    assert intervention.versions[0].duration == "3 maanden"
    assert intervention.current_decision.public_status == "expired"
    assert intervention.study_links[0].study.doi == "10.5555/proef.1"


def test_load_twice_adds_nothing(db_session, data_dir):
    directory = data_dir([_intervention()])
    load_demo(directory)
    second = load_demo(directory)
    assert (second.interventions, second.studies) == (0, 0)
    assert db_session.scalar(select(func.count(Study.id))) == 1


def test_unknown_tag_code_names_the_record(db_session, data_dir):
    broken = _intervention(tags={"barrier": ["geldzorgen"]})
    with pytest.raises(DemoDataError, match="proef-interventie.*barrier.*geldzorgen"):
        load_demo(data_dir([broken]))
