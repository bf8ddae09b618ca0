"""A werkwijzer's Markdown renders to safe HTML: no script, iframe, event handler, style
or javascript: link passes, whatever the editor typed; ordinary Markdown stays."""

from html.parser import HTMLParser

import pytest

from registry import guides_markdown
from registry.guides_markdown import render_markdown


class Elements(HTMLParser):
    """The tags and attributes of some HTML (text, escaped or not, is not a tag)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def executable(html: str) -> list:
    """Elements that could run or load something: script-like tags, event handlers,
    javascript: links."""
    return [(tag, attrs) for tag, attrs in Elements(html).tags
            if tag in ("script", "iframe", "img", "style", "object", "embed", "div")
            or any(name.startswith("on") for name in attrs)
            or (attrs.get("href") or "").strip().lower().startswith("javascript")]


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "<iframe src='https://example.org'></iframe>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    "<style>body{display:none}</style>",
    "<div onclick='alert(1)'>x</div>",
])
def test_nothing_executable_passes(text):
    assert executable(str(render_markdown(text))) == []


def test_the_check_itself_sees_a_script():
    assert executable('<p><script>x</script><a href="javascript:x" onclick="y">a</a></p>')


def test_markdown_becomes_headings_lists_emphasis_links_and_tables():
    html = str(render_markdown("# Kop\n\n- **vet** en *schuin*\n\n[site](https://example.org)"
                               "\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h2>Kop</h2>" in html and "<strong>vet</strong>" in html and "<em>schuin</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in html
    assert "<table>" in html


def test_a_text_is_rendered_once_per_process(monkeypatch):
    rendered: list[str] = []
    parse = guides_markdown._PARSER.render
    monkeypatch.setattr(guides_markdown._PARSER, "render",
                        lambda text: rendered.append(text) or parse(text))
    render_markdown.cache_clear()
    text = "## Eén keer omzetten\n\nDaarna uit het geheugen."
    first, second = render_markdown(text), render_markdown(text)
    assert first == second and len(rendered) == 1
