"""Which tables a bulk write analyses: autovacuum's threshold, at least ANALYZE_MIN_ROWS."""

from registry.table_statistics import ANALYZE_MIN_ROWS, tables_to_analyze


def test_a_never_analysed_table_is_analysed_once_enough_rows_came():
    assert tables_to_analyze({"findings": ANALYZE_MIN_ROWS}, {"findings": -1.0}) == ["findings"]
    assert tables_to_analyze({"findings": ANALYZE_MIN_ROWS - 1}, {"findings": -1.0}) == []


def test_more_than_a_tenth_of_the_analysed_rows_is_needed():
    assert tables_to_analyze({"studies": 10_001}, {"studies": 100_000.0}) == ["studies"]
    assert tables_to_analyze({"studies": 10_000}, {"studies": 100_000.0}) == []


def test_each_table_is_judged_on_its_own_in_name_order():
    inserted = {"studies": 5_000, "findings": 9_000, "study_authors": 20}
    known = {"studies": 1_000.0, "findings": 200_000.0, "study_authors": -1.0}
    assert tables_to_analyze(inserted, known) == ["studies"]
    assert tables_to_analyze({"b": 2_000, "a": 2_000}, {}) == ["a", "b"]
