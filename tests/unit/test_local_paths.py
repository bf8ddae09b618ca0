"""Which values a link back or a redirect may follow (registry/local_paths.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.local_paths import local_path


@pytest.mark.parametrize("value", ["/", "/zoeken?q=schulden&pagina=2", "/interventies/ips"])
def test_a_path_of_this_site_is_followed(value):
    assert local_path(value) == value


@pytest.mark.parametrize("value", [
    None, "", "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x",
    "zoeken", "//[", "http://[", "/" + "a" * 2000, "/a\nb", "/mijn/\r\nX: 1", "/\x00",
    "/a\x7f",
])
def test_anything_else_is_not(value):
    assert local_path(value) is None


@given(st.text(max_size=60))
def test_no_text_raises_and_what_is_followed_is_a_local_path(value):
    found = local_path(value)
    assert found is None or (found == value and found.startswith("/")
                             and not found.startswith("//"))
