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
    ],
)
def test_suggested_level(studies, expected):
    assert suggest_level(studies) == expected
