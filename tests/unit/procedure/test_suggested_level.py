"""The suggested level follows docs/domain.md's rules from coded study evidence."""

import pytest

from registry.services.suggested_level import StudyEvidence, suggest_level


def study(design="rct", quality="moderate", follow_up=12, favourable=True):
    return StudyEvidence(design, quality, follow_up, favourable)


@pytest.mark.parametrize(
    ("studies", "expected"),
    [
        ([], None),
        ([study(favourable=False)], None),
        ([study(design="qualitative")], None),
        ([study(design="before_after", quality="low")], "effective_first"),
        ([study(quality="low")], "effective_first"),
        ([study(quality="moderate")], "effective_good"),
        ([study(design="quasi_experimental", quality="high")], "effective_good"),
        ([study(quality="high"), study(quality="moderate")], "effective_strong"),
        ([study(quality="high", follow_up=3), study(quality="moderate")], "effective_good"),
        ([study(quality="moderate"), study(quality="moderate")], "effective_good"),
        ([study(quality="high"), study(quality="low", favourable=False)], "effective_good"),
        # A low-quality study is not counted for a domain's effect, nor for "strong".
        ([study(quality="high"), study(quality="low")], "effective_good"),
        ([study(quality="high"), study(quality=None)], "effective_good"),
    ],
)
def test_suggested_level(studies, expected):
    assert suggest_level(studies) == expected


def test_a_study_still_running_suggests_nothing(app):
    """The suggestion reads finished effect studies only, as the effects page does: a
    running high-quality RCT beside a finished low-quality one suggested 'strong'."""
    from registry.services.suggested_level import suggested_level_for
    from tests.factories import FindingFactory, StudyFactory, link, make_intervention

    intervention = make_intervention()
    running = StudyFactory(quality="high", ongoing=True, follow_up_months=12)
    finished = StudyFactory(quality="low", follow_up_months=12)
    for study in (running, finished):
        FindingFactory(study=study, direction="favourable")
        link(intervention, study)

    assert suggested_level_for(intervention) == "effective_first"
