"""The HTML handout: complete, self-contained, escaped; charts drawn with or without a browser."""

from __future__ import annotations

import base64
import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest
from markupsafe import escape as _escape

from components import chart_export
from components.chart_export import chart_image, find_browser, render_images
from components.charts import Chart, aggravating_heatmap, feature_range_chart, pain_location_chart
from components.compare import Comparison, build_comparison
from components.handout import (
    EDUCATION_NOTICE,
    cell_segments,
    citation_views,
    doi_url,
    handout_filename,
    handout_html,
    safe_href,
)
from components.knowledge import load_knowledge
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import Reference

CONDITIONS = ("ifi", "dgs", "lumbar_sciatica")
GENERATED = dt.date(2026, 11, 29)
VIEW_URL = "https://hiplens.example/compare?conditions=ifi&conditions=dgs&conditions=lumbar_sciatica"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "javascript:alert(1)"


def escape(text: str) -> str:
    """Text as the handout's template escapes it."""
    return str(_escape(text))


def make_charts(kb: KnowledgeBase, conditions: tuple[str, ...] = CONDITIONS) -> list[Chart]:
    """The charts the comparison page offers."""
    return [feature_range_chart(kb, "female_pct", conditions), aggravating_heatmap(kb, conditions), pain_location_chart(kb, conditions)]


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace text in a file, failing loudly when the text is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def inject_markup(folder: Path) -> None:
    """Put markup and a javascript: link into a copy of data/: a condition's names, a feature text, a reference title."""
    replace_in(folder / "conditions" / "dgs.yaml", "name: Deep gluteal syndrome", f'name: "{SCRIPT}"')
    replace_in(folder / "conditions" / "dgs.yaml", "short_name: DGS", f'short_name: "{IMG}"')
    replace_in(folder / "feature_values.csv", "Chronic buttock and/or groin pain, without injury", f"{IMG} {SCRIPT} {JS_LINK}")
    replace_in(folder / "references.yaml", "title: 'Ischiofemoral impingement syndrome: a meta-analysis'", f"title: '{SCRIPT} {JS_LINK}'")


def injected_kb(data_copy: Path) -> KnowledgeBase:
    """A knowledge base whose texts hold markup."""
    inject_markup(data_copy)
    return load_knowledge(data_copy)


class Resources(HTMLParser):
    """Every tag and attribute of a page, to find anything that would be fetched."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.style_text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style_text.append(data)


def fetched_resources(page: str) -> list[str]:
    """What a browser would fetch to show a page (links a reader clicks are not fetched)."""
    parser = Resources()
    parser.feed(page)
    found = []
    for tag, attrs in parser.tags:
        for name in ("src", "srcset", "data", "poster", "background", "action", "formaction"):
            value = attrs.get(name)
            if value is not None and not value.startswith("data:"):
                found.append(f"<{tag} {name}={value}>")
        if tag in ("link", "iframe", "object", "embed", "base", "frame"):
            found.append(f"<{tag}>")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta refresh>")
        style = attrs.get("style") or ""
        if "url(" in style:
            found.append(f"<{tag} style url()>")
    css = "\n".join(parser.style_text)
    if "url(" in css or "@import" in css or "@font-face" in css:
        found.append("css resource")
    return found


def hrefs(page: str) -> list[str]:
    """Every link target of a page."""
    parser = Resources()
    parser.feed(page)
    return [attrs["href"] or "" for tag, attrs in parser.tags if tag == "a" and "href" in attrs]


@pytest.fixture(scope="module")
def comparison(kb: KnowledgeBase) -> Comparison:
    return build_comparison(kb, CONDITIONS)


@pytest.fixture(scope="module")
def charts(kb: KnowledgeBase) -> list[Chart]:
    return make_charts(kb)


@pytest.fixture(scope="module")
def with_images(kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]) -> str:
    """The handout made where a browser draws the charts (the test machine has Debian's chromium)."""
    assert find_browser() is not None, "Debian's chromium is needed: run the README's test command"
    return handout_html(kb, comparison, charts, view_url=VIEW_URL, generated=GENERATED)


@pytest.fixture(scope="module")
def with_plotly(kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]) -> str:
    """The handout made where no browser can draw images."""
    return handout_html(kb, comparison, charts, view_url=VIEW_URL, generated=GENERATED, browser=False)


@pytest.fixture(params=["images", "plotly"])
def handout(request: pytest.FixtureRequest, with_images: str, with_plotly: str) -> str:
    return with_images if request.param == "images" else with_plotly


def test_has_every_condition_date_link_and_notice(handout: str, kb: KnowledgeBase) -> None:
    for cid in CONDITIONS:
        assert f'<th scope="col">{escape(kb.conditions[cid].name)}</th>' in handout
    assert "2026-11-29" in handout
    assert "29 November 2026" in handout
    assert EDUCATION_NOTICE in handout
    masthead = handout.split('<header class="masthead">', 1)[1].split("</header>", 1)[0]
    assert "Estimates are judgements, not measurements" in masthead  # the shared masthead, with this handout's notice
    assert f'href="{escape(VIEW_URL)}"' in handout
    assert f">{escape(VIEW_URL)}</a>" in handout
    assert handout.lstrip().lower().startswith("<!doctype html>")


def test_table_has_every_feature_row_and_cell_markers(handout: str, comparison: Comparison) -> None:
    tbody = handout.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert tbody.count("<tr") == len(comparison.rows)
    for row in comparison.rows:
        assert f'<th scope="row">{escape(row.feature.label)}' in tbody
    assert tbody.count("<td>") == len(comparison.rows) * len(CONDITIONS)
    assert 'class="cite" href="#ref-1">[1]</a>' in tbody
    assert "best separates" in tbody  # the default comparison has features that separate the conditions


def test_numbered_citations_with_doi_links(handout: str, kb: KnowledgeBase, comparison: Comparison) -> None:
    assert comparison.citations, "the default comparison cites references"
    with_doi = 0
    for number, ref_id in enumerate(comparison.citations, start=1):
        assert f'id="ref-{number}"' in handout
        assert f'<span class="num">[{number}]</span>' in handout
        ref = kb.references[ref_id]
        assert escape(ref.title) in handout
        if ref.doi:
            with_doi += 1
            assert f'href="{escape(doi_url(ref.doi))}"' in handout
            assert f"doi:{escape(ref.doi)}</a>" in handout
    assert with_doi >= 5
    assert f'id="ref-{len(comparison.citations) + 1}"' not in handout


def test_images_one_svg_per_chart_with_summary(with_images: str, charts: list[Chart]) -> None:
    sources = re.findall(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', with_images)
    assert len(sources) == len(charts)
    for src in sources:
        svg = base64.b64decode(src).decode("utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    for chart in charts:
        assert f"<figcaption>{escape(chart.summary)}</figcaption>" in with_images
    assert 'data-chart-mode="images"' in with_images
    assert "<script" not in with_images  # nothing runs in the image handout
    assert escape("script-src 'none'") in with_images


def test_plotly_fallback_inlines_plotly_js_and_one_box_per_chart(with_plotly: str, charts: list[Chart]) -> None:
    assert with_plotly.count('class="plotly-chart"') == len(charts)
    assert 'data-chart-mode="plotly"' in with_plotly
    assert "no browser was available" in with_plotly
    assert "<img" not in with_plotly
    for chart in charts:
        assert f"<figcaption>{escape(chart.summary)}</figcaption>" in with_plotly
    assert with_plotly.count("<script>") == 2  # plotly.js itself, then the drawing code
    assert "Plotly.newPlot" in with_plotly
    assert len(with_plotly) > 3_000_000  # plotly.js is in the file, not fetched


def test_nothing_is_fetched(handout: str) -> None:
    assert fetched_resources(handout) == []
    assert "<script src" not in handout.lower()
    assert escape("default-src 'none'") in handout  # and the browser is told so
    for href in hrefs(handout):
        assert href.startswith(("#", "https://", "http://")), href


def test_fetch_detector_finds_resources() -> None:
    page = (
        '<link rel="stylesheet" href="https://x.example/a.css"><script src="https://x.example/a.js"></script>'
        '<img src="https://x.example/a.png"><style>@import "x.css";</style><a href="https://ok.example">ok</a>'
    )
    assert len(fetched_resources(page)) == 4


@pytest.mark.parametrize(
    "url",
    [
        "https://hiplens.example/compare?conditions=ifi",
        "http://127.0.0.1:8501/compare?conditions=ifi&conditions=dgs",
        "/compare?conditions=ifi&conditions=dgs",
        "compare?conditions=ifi",
        "?conditions=ifi",
    ],
)
def test_safe_href_accepts_web_and_relative_links(url: str) -> None:
    assert safe_href(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "\\\\evil.example\\x",
        "https://",
        "mailto:someone@example.org",
        "",
    ],
)
def test_safe_href_refuses_other_links(url: str) -> None:
    assert safe_href(url) is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x"])
def test_unsafe_view_url_is_shown_as_text_not_linked(kb: KnowledgeBase, comparison: Comparison, url: str) -> None:
    page = handout_html(kb, comparison, [], view_url=url, generated=GENERATED, browser=False)
    assert escape(url) in page
    assert all(not h.startswith(("javascript", "data", "//")) for h in hrefs(page))
    assert "<script>alert(1)" not in page
    assert 'data-chart-mode="none"' in page


def test_relative_view_url_is_linked(kb: KnowledgeBase, comparison: Comparison) -> None:
    page = handout_html(kb, comparison, [], view_url="/compare?conditions=ifi&conditions=dgs", generated=GENERATED, browser=False)
    assert 'href="/compare?conditions=ifi&amp;conditions=dgs"' in page


def test_markup_in_the_knowledge_base_appears_as_text(data_copy: Path) -> None:
    kb = injected_kb(data_copy)
    comparison = build_comparison(kb, CONDITIONS)
    for browser in (True, False):
        page = handout_html(kb, comparison, make_charts(kb), view_url=JS_LINK, generated=GENERATED, browser=browser)
        assert escape(SCRIPT) in page  # the condition's name, escaped
        assert escape(IMG) in page  # its short name and the feature text
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        outside_scripts = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
        assert "onerror=alert" not in outside_scripts.replace(escape(IMG), "")
        assert all(not h.lower().startswith("javascript") for h in hrefs(page))
        assert fetched_resources(page) == []
        if browser is False:
            # inside the drawing script the same texts are JSON with < and > escaped
            assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page


def test_citation_links_only_to_the_web() -> None:
    ref = Reference.model_construct(id="x", title="A title", design="cohort", url="javascript:alert(1)", doi=None, pmid=None)
    kb = SimpleNamespace(references={"x": ref})
    comparison = Comparison(("ifi",), (), ("x",))
    view = citation_views(kb, comparison)[0]  # type: ignore[arg-type]
    assert view.link is None and view.link_text == "javascript:alert(1)"
    ref2 = Reference.model_construct(id="y", title="T", design="cohort", url=None, doi=None, pmid="123")
    kb2 = SimpleNamespace(references={"y": ref2})
    assert citation_views(kb2, Comparison(("ifi",), (), ("y",)))[0].link == "https://pubmed.ncbi.nlm.nih.gov/123/"  # type: ignore[arg-type]


def test_cell_segments_link_only_existing_citations() -> None:
    segments = cell_segments("81–100% [1][2] (sources differ); course notes: up to 40% [9]", 3)
    assert [(s.text, s.ref) for s in segments] == [
        ("81–100% ", None),
        ("[1]", 1),
        ("[2]", 2),
        (" (sources differ); course notes: up to 40% [9]", None),
    ]


def test_many_conditions_print_landscape(kb: KnowledgeBase) -> None:
    conditions = tuple(kb.conditions)
    page = handout_html(kb, build_comparison(kb, conditions), [], view_url=VIEW_URL, generated=GENERATED, browser=False)
    assert "size: A4 landscape" in page
    for cid in conditions:
        assert escape(kb.conditions[cid].name) in page


def test_no_browser_env_gives_the_plotly_handout(
    monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]
) -> None:
    monkeypatch.setenv(chart_export.NO_BROWSER_ENV, "1")
    assert find_browser() is None
    page = handout_html(kb, comparison, charts[:1], view_url=VIEW_URL, generated=GENERATED)
    assert 'data-chart-mode="plotly"' in page


def test_browser_missing_from_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser() is None
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "nothing-here"))
    assert find_browser() is None


def test_a_browser_that_fails_gives_no_images_and_the_plotly_handout(
    kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]
) -> None:
    assert render_images([charts[0].figure], width=400, browser="/bin/false") is None
    page = handout_html(kb, comparison, charts[:1], view_url=VIEW_URL, generated=GENERATED, browser="/bin/false")
    assert 'data-chart-mode="plotly"' in page


def test_chart_image_png_and_none_without_browser() -> None:
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]), layout={"title": {"text": "t"}})
    before = fig.to_json()
    png = chart_image(fig, width=400, height=300)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (400, 300)
    assert fig.to_json() == before  # the caller's figure is untouched
    assert chart_image(fig, width=400, height=300, browser=False) is None
    assert render_images([], width=400) == []


def test_handout_filename() -> None:
    assert handout_filename(GENERATED) == "hiplens-comparison-2026-11-29.html"
    assert handout_filename(GENERATED, "pptx") == "hiplens-comparison-2026-11-29.pptx"
