from tests.factories import FindingFactory, link, make_intervention


def test_make_intervention_publishes_version_with_tags_and_decision(db_session):
    intervention = make_intervention(
        outcome="effective_good", tags={"barrier": ["debt", "language"]}, title="Schuldhulp"
    )
    assert intervention.published_version.title == "Schuldhulp"
    assert {t.code for t in intervention.published_version.tags_of("barrier")} == {
        "debt",
        "language",
    }
    assert intervention.current_decision.public_status == "effective_good"


def test_expired_decision_reads_as_expired(db_session):
    intervention = make_intervention(outcome="effective_first", expired=True)
    assert intervention.current_decision.public_status == "expired"


def test_finding_links_study_to_intervention(db_session):
    finding = FindingFactory()
    connection = link(make_intervention(), finding.study)
    assert connection.study.findings == [finding]
    assert finding.study.authors[0].display_name == "van den Berg, J."
