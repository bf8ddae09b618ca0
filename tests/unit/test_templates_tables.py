"""Wide tables scroll inside a region of their own, never the whole page (WCAG 1.4.10:
a page must fit 320 px without scrolling sideways). Every table is at least 40rem wide
(registry.css), so each one must sit in a scrolling region (`table-scroll`, or the
comparison's own `compare-wrapper`) unless it is a narrow table of counts."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
REGIONS = ('class="table-scroll"', 'class="compare-wrapper"')


def _tables_outside_a_region(text: str) -> list[int]:
    lines = []
    for table in re.finditer(r"<table\b[^>]*>", text):
        if "counts" in table.group():  # table.counts has no minimum width
            continue
        before = text[:table.start()]
        region = max(before.rfind(marker) for marker in REGIONS)
        if region < 0 or region < before.rfind("</table>") or region < before.rfind(
                "</div>", region):
            lines.append(before.count("\n") + 1)
    return lines


def test_every_wide_table_scrolls_in_its_own_region():
    outside = {str(path.relative_to(TEMPLATES)): lines
               for path in sorted(TEMPLATES.rglob("*.html"))
               if (lines := _tables_outside_a_region(path.read_text(encoding="utf-8")))}
    assert outside == {}


def test_the_check_finds_a_bare_table():
    assert _tables_outside_a_region("<h1>x</h1>\n<table>\n<caption>c</caption></table>") == [2]
    assert _tables_outside_a_region(
        '<div class="table-scroll" role="region"><table></table></div>\n<table>') == [2]
