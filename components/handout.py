"""A printable, self-contained HTML handout of a comparison view (pure: no streamlit).

The handout is one HTML file with nothing to fetch: charts are static SVG images drawn by
Kaleido in the system's Chromium when one is available, otherwise plotly.js from the installed
plotly package is inlined and draws them when the file is opened. Every text from the knowledge
base goes through Jinja2's autoescaping; a Content-Security-Policy allows no network and only
the handout's own scripts (by hash).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from components.chart_export import for_export, render_images
from components.charts import Chart
from components.compare import Comparison, cell_text
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import Reference

TEMPLATES = Path(__file__).resolve().parent / "templates"
EDUCATION_NOTICE = "HipLens is for education, not diagnosis."
HANDOUT_MIME = "text/html"
CHART_WIDTH = 680  # px: the printable width of an A4 page with 15 mm margins
SVG_WIDTH = 800  # px: drawn a little wider, then scaled to the page
_MARKER = re.compile(r"\[(\d+)\]")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=True,  # every {{ value }} is HTML-escaped; only values wrapped in Markup here are not
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def safe_href(url: str | None) -> str | None:
    """The URL when it is safe to link (absolute http(s), or relative without a scheme), else None."""
    if not url or _UNSAFE_URL_CHARS.search(url) or len(url) > 4000:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme:
        return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None
    if url.startswith("//") or ":" in url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return None  # protocol-relative, or something a browser might still read as a scheme
    return url


def doi_url(doi: str) -> str:
    """The resolver link of a DOI."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def pubmed_url(pmid: str) -> str:
    """The PubMed link of a PMID."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid, safe='')}/"


def long_date(day: dt.date) -> str:
    """A date as '29 November 2026'."""
    return f"{day.day} {day:%B %Y}"


def condition_names(kb: KnowledgeBase, comparison: Comparison) -> list[str]:
    """Full names of the compared conditions, in column order."""
    return [kb.conditions[c].name for c in comparison.conditions]


def comparison_title(kb: KnowledgeBase, comparison: Comparison) -> str:
    """Title of a handout or deck, e.g. 'Comparing IFI, DGS and Lumbar sciatica'."""
    names = [kb.conditions[c].short_name for c in comparison.conditions]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Comparing {listed}"


def handout_filename(generated: dt.date, extension: str = "html") -> str:
    """Download file name, e.g. 'hiplens-comparison-2026-11-29.html'."""
    return f"hiplens-comparison-{generated.isoformat()}.{extension}"


@dataclass(frozen=True)
class Segment:
    """A piece of cell text; ref is the citation number when the piece is a marker like [3]."""

    text: str
    ref: int | None = None


def cell_segments(text: str, n_citations: int) -> list[Segment]:
    """Split a cell's text into plain pieces and citation markers that exist in the table."""
    out: list[Segment] = []
    pos = 0
    for match in _MARKER.finditer(text):
        number = int(match.group(1))
        if not 1 <= number <= n_citations:
            continue
        if match.start() > pos:
            out.append(Segment(text[pos : match.start()]))
        out.append(Segment(match.group(0), number))
        pos = match.end()
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def reference_text(ref: Reference) -> str:
    """A citation as sentences: 'Authors (year). Title. Journal volume.' (without its link)."""
    head = " ".join(b for b in ((ref.authors or "").strip(), f"({ref.year})" if ref.year else "") if b)
    journal = " ".join(b for b in ((ref.journal or "").strip(), (ref.volume_pages or "").strip()) if b)
    return " ".join(_sentence(b) for b in (head, ref.title, journal) if b.strip())


@dataclass(frozen=True)
class CitationView:
    """One numbered reference as the handout and the slides show it."""

    number: int
    text: str
    design: str
    doi: str | None
    link: str | None
    link_text: str | None


def citation_views(kb: KnowledgeBase, comparison: Comparison) -> list[CitationView]:
    """The numbered references of a comparison, with a DOI, PubMed or web link where one is safe."""
    out = []
    for number, ref_id in enumerate(comparison.citations, start=1):
        ref: Reference = kb.references[ref_id]
        text = reference_text(ref)
        if ref.doi:
            link, link_text = doi_url(ref.doi), f"doi:{ref.doi}"
        elif ref.pmid:
            link, link_text = pubmed_url(ref.pmid), f"PMID {ref.pmid}"
        elif ref.url:
            link, link_text = safe_href(ref.url), ref.url
        else:
            link, link_text = None, None
        out.append(CitationView(number, text, ref.design.replace("-", " "), ref.doi, link, link_text))
    return out


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no '<', '>', '&' or line separators as such)."""
    text = value if isinstance(value, str) else json.dumps(value)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _chart_title(figure: go.Figure, index: int) -> str:
    title = figure.layout.title.text if figure.layout.title else None
    return str(title) if title else f"Chart {index}"


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def _plotly_parts(charts: Sequence[Chart]) -> tuple[list[dict[str, object]], str]:
    """Chart boxes and the script that draws them with the inlined plotly.js."""
    specs = []
    views: list[dict[str, object]] = []
    for i, chart in enumerate(charts, start=1):
        fig = for_export(chart.figure)
        height = int(fig.layout.height or 450)
        fig.update_layout(width=CHART_WIDTH, height=height, autosize=False, paper_bgcolor="white")
        div_id = f"chart-{i}"
        specs.append({"id": div_id, "figure": json.loads(pio.to_json(fig, validate=False))})
        views.append({"title": _chart_title(chart.figure, i), "summary": chart.summary, "div_id": div_id, "height": height})
    config = {"displayModeBar": False, "displaylogo": False, "responsive": False, "scrollZoom": False}
    code = (
        "(function(){var specs=" + _script_json(specs) + ";var config=" + _script_json(config) + ";"
        "specs.forEach(function(s){var box=document.getElementById(s.id);"
        "Plotly.newPlot(box,s.figure.data,s.figure.layout,config).then(function(){box.setAttribute('data-drawn','true');});});})();"
    )
    return views, code


def handout_html(
    kb: KnowledgeBase,
    comparison: Comparison,
    charts: Sequence[Chart],
    *,
    view_url: str,
    generated: dt.date,
    browser: bool | str = True,
) -> str:
    """A self-contained printable HTML handout: table, charts, citations, link back to the live view.

    browser: True finds Chromium (BROWSER_PATH, then PATH), a string is its path, False draws the
    charts with inlined plotly.js instead of images (as happens when no browser is found).
    """
    n_refs = len(comparison.citations)
    rows = [
        {
            "label": row.feature.label,
            "unit": row.feature.unit,
            "highlighted": row.highlighted,
            "cells": [cell_segments(cell_text(cell, comparison), n_refs) for cell in row.cells],
        }
        for row in comparison.rows
    ]
    images = render_images([c.figure for c in charts], width=SVG_WIDTH, format="svg", browser=browser) if charts else []
    scripts: list[str] = []
    if images is not None:
        chart_mode = "images" if charts else "none"
        chart_views = [
            {
                "title": _chart_title(chart.figure, i),
                "summary": chart.summary,
                "src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"),
            }
            for i, (chart, svg) in enumerate(zip(charts, images, strict=True), start=1)
        ]
    else:
        import plotly.offline

        chart_mode = "plotly"
        chart_views, draw = _plotly_parts(charts)
        scripts = [plotly.offline.get_plotlyjs(), draw]
    script_src = " ".join(_csp_hash(s) for s in scripts) if scripts else "'none'"
    csp = (
        f"default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src {script_src}; base-uri 'none'; form-action 'none'"
    )
    names = condition_names(kb, comparison)
    template = _env.get_template("handout.html")
    return template.render(
        title=comparison_title(kb, comparison),
        conditions=[{"name": n, "short": kb.conditions[c].short_name} for n, c in zip(names, comparison.conditions, strict=True)],
        rows=rows,
        any_highlight=any(r["highlighted"] for r in rows),
        charts=chart_views,
        chart_mode=chart_mode,
        citations=citation_views(kb, comparison),
        notice=EDUCATION_NOTICE,
        view_url=view_url,
        view_href=safe_href(view_url),
        date_iso=generated.isoformat(),
        date_long=long_date(generated),
        landscape=len(comparison.conditions) > 4,
        csp=csp,
        scripts=[Markup(s) for s in scripts],  # our own code and the plotly package's; data inside is JSON-escaped
        plotly_version=_plotly_js_version() if chart_mode == "plotly" else "",
    )


def _plotly_js_version() -> str:
    try:
        from plotly.offline.offline import get_plotlyjs_version

        return str(get_plotlyjs_version())
    except Exception:  # a version label is not worth failing for
        return ""
