"""Labels inside the 'why it fits' sentences: abbreviations keep their capitals."""

import pytest

from registry.search.labels import in_running_text


@pytest.mark.parametrize(("label", "shown"), [
    ("Schulden", "schulden"),
    ("Participatiewet", "participatiewet"),
    ("WW", "WW"),
    ("UWV / WW", "UWV / WW"),
    ("NT2-traject", "NT2-traject"),
    ("Social support act (Wmo)", "social support act (Wmo)"),
    ("", ""),
])
def test_a_label_in_running_text(label, shown):
    assert in_running_text(label) == shown
