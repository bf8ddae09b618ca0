"""The search page's facet links (registry/views/search._toggles): each is the page's
state with one value added or removed, to the first page, the same URL as building the
whole query string anew for every link."""

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.views import search as pages

FACETS = ("barrier", "age_band", "target_group")
CODES = ("debt", "language", "under_27", "55_plus", "ww", "a b", "é&=")

states = st.fixed_dictionaries({}, optional={
    "q": st.text(min_size=1, max_size=12),
    "sorteer": st.sampled_from(["title", "level"]),
    **{facet: st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)
       for facet in FACETS},
})


def _rebuilt(state: dict, facet: str, value: str) -> str:
    chosen = list(state.get(facet, []))
    chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
    return pages._url(state, **{facet: chosen, "pagina": None})


@settings(max_examples=200, deadline=None)
@given(state=states, facet=st.sampled_from(FACETS), value=st.sampled_from(CODES))
def test_a_facet_link_toggles_one_value_and_keeps_the_rest(app, state, facet, value):
    with app.test_request_context("/zoeken"):
        assert pages._toggles(state)(facet, value) == _rebuilt(state, facet, value)


def test_removing_the_only_value_of_the_only_parameter_links_the_bare_page(app):
    with app.test_request_context("/zoeken"):
        assert pages._toggles({"barrier": ["debt"]})("barrier", "debt") == "/zoeken"
        assert pages._toggles({"q": "werk"})("barrier", "debt") == "/zoeken?q=werk&barrier=debt"
