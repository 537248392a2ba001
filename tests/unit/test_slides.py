"""The PowerPoint deck: title, native tables split over slides, chart pictures or a fallback, references."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.util import Emu, Pt

from components import chart_export
from components.charts import Chart
from components.compare import Comparison, build_comparison, cell_text
from components.handout import EDUCATION_NOTICE, doi_url
from components.knowledge.loader import KnowledgeBase
from components.slides import PPTX_MIME, ROWS_PER_SLIDE, SLIDE_H, slides_pptx
from tests.unit.test_handout import CONDITIONS, GENERATED, IMG, SCRIPT, VIEW_URL, injected_kb, make_charts

FALLBACK_TITLE = "The charts could not be drawn"


def open_deck(data: bytes) -> PresentationType:
    """The deck as python-pptx reads it back."""
    return Presentation(io.BytesIO(data))


def title_of(slide: Slide) -> str:
    """A slide's title text ('' when it has none)."""
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def slide_text(slide: Slide) -> str:
    """Every text on a slide, tables included."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text_frame.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def runs(slide: Slide) -> Iterator[tuple[str, object]]:
    """Every text run of a slide with its font size."""
    for shape in slide.shapes:
        frames = []
        if shape.has_text_frame:
            frames.append(shape.text_frame)
        if shape.has_table:
            frames.extend(cell.text_frame for row in shape.table.rows for cell in row.cells)
        for frame in frames:
            for para in frame.paragraphs:
                for run in para.runs:
                    yield run.text, run.font.size


def link_addresses(slide: Slide) -> list[str]:
    """Every hyperlink address on a slide."""
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            for para in shape.text_frame.paragraphs:
                out.extend(run.hyperlink.address for run in para.runs if run.hyperlink.address)
    return out


def tables(deck: PresentationType) -> list[tuple[Slide, object]]:
    """The table shapes of a deck with their slides."""
    return [(slide, shape.table) for slide in deck.slides for shape in slide.shapes if shape.has_table]


def pictures(deck: PresentationType) -> list[object]:
    """The picture shapes of a deck."""
    return [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.fixture(scope="module")
def comparison(kb: KnowledgeBase) -> Comparison:
    return build_comparison(kb, CONDITIONS)


@pytest.fixture(scope="module")
def charts(kb: KnowledgeBase) -> list[Chart]:
    return make_charts(kb)


@pytest.fixture(scope="module")
def deck(kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]) -> PresentationType:
    """The deck made where Debian's chromium draws the charts."""
    assert chart_export.find_browser() is not None, "Debian's chromium is needed: run the README's test command"
    return open_deck(slides_pptx(kb, comparison, charts, view_url=VIEW_URL, generated=GENERATED))


@pytest.fixture(scope="module")
def deck_without_browser(kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]) -> PresentationType:
    """The deck made where no browser can draw the charts."""
    return open_deck(slides_pptx(kb, comparison, charts, view_url=VIEW_URL, generated=GENERATED, browser=False))


@pytest.fixture(params=["browser", "no browser"])
def any_deck(request: pytest.FixtureRequest, deck: PresentationType, deck_without_browser: PresentationType) -> PresentationType:
    return deck if request.param == "browser" else deck_without_browser


def test_title_slide(any_deck: PresentationType, kb: KnowledgeBase) -> None:
    first = any_deck.slides[0]
    text = slide_text(first)
    for cid in CONDITIONS:
        assert kb.conditions[cid].short_name in title_of(first)
        assert kb.conditions[cid].name in text
    assert "29 November 2026" in text
    assert VIEW_URL in text
    assert EDUCATION_NOTICE in text
    assert VIEW_URL in link_addresses(first)
    assert any_deck.slide_width / any_deck.slide_height == pytest.approx(16 / 9, rel=0.01)
    assert any_deck.core_properties.title == title_of(first)


def test_comparison_as_native_tables_with_header_repeated(any_deck: PresentationType, kb: KnowledgeBase, comparison: Comparison) -> None:
    found = tables(any_deck)
    assert len(found) >= 2, "the full comparison does not fit one slide"
    names = ["Feature", *(kb.conditions[c].name for c in CONDITIONS)]
    body_rows: list[list[str]] = []
    for index, (slide, table) in enumerate(found, start=1):
        header = [cell.text_frame.text for cell in table.rows[0].cells]
        assert header == names
        assert title_of(slide) == f"Comparison ({index} of {len(found)})"
        assert 1 <= len(table.rows) - 1 <= ROWS_PER_SLIDE
        body_rows.extend([cell.text_frame.text for cell in row.cells] for row in list(table.rows)[1:])
        bottom = max(shape.top + shape.height for shape in slide.shapes if shape.has_table)
        assert bottom <= SLIDE_H - Emu(Pt(24))  # the table leaves the footer free
    assert len(body_rows) == len(comparison.rows)
    for row, cells in zip(comparison.rows, body_rows, strict=True):
        assert cells[0].split("\n")[0] == row.feature.label
        assert cells[1:] == [cell_text(cell, comparison) for cell in row.cells]
        assert ("best separates" in cells[0]) == row.highlighted


def test_one_picture_per_chart(deck: PresentationType, charts: list[Chart]) -> None:
    found = pictures(deck)
    assert len(found) == len(charts)
    for picture in found:
        assert picture.image.content_type == "image/png"
        assert picture.image.blob.startswith(b"\x89PNG")
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
    texts = "\n".join(slide_text(s) for s in deck.slides)
    for chart in charts:
        assert chart.summary in texts
    assert not any(title_of(s) == FALLBACK_TITLE for s in deck.slides)


def test_fallback_slide_without_browser(deck_without_browser: PresentationType, charts: list[Chart]) -> None:
    assert pictures(deck_without_browser) == []
    fallback = [s for s in deck_without_browser.slides if title_of(s) == FALLBACK_TITLE]
    assert len(fallback) == 1
    text = slide_text(fallback[0])
    assert "No browser was available" in text
    assert VIEW_URL in text
    for chart in charts:
        assert chart.summary in text


def test_no_browser_env_gives_the_fallback(
    monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase, comparison: Comparison, charts: list[Chart]
) -> None:
    monkeypatch.setenv(chart_export.NO_BROWSER_ENV, "1")
    deck = open_deck(slides_pptx(kb, comparison, charts[:1], view_url=VIEW_URL, generated=GENERATED))
    assert pictures(deck) == []
    assert any(title_of(s) == FALLBACK_TITLE for s in deck.slides)


def test_references_numbered_with_doi_links(any_deck: PresentationType, kb: KnowledgeBase, comparison: Comparison) -> None:
    ref_slides = [s for s in any_deck.slides if title_of(s).startswith("References")]
    assert ref_slides and ref_slides[-1] == any_deck.slides[-1]
    text = "\n".join(slide_text(s) for s in ref_slides)
    links = [a for s in ref_slides for a in link_addresses(s)]
    for number, ref_id in enumerate(comparison.citations, start=1):
        ref = kb.references[ref_id]
        assert f"[{number}] {ref.authors or ''}".strip() in text
        if ref.doi:
            assert f"doi:{ref.doi}" in text
            assert doi_url(ref.doi) in links
    assert f"[{len(comparison.citations) + 1}]" not in text


def test_type_is_large_enough_for_a_projector(any_deck: PresentationType) -> None:
    for slide in any_deck.slides:
        title_runs = [r.font.size for p in slide.shapes.title.text_frame.paragraphs for r in p.runs] if slide.shapes.title else []
        assert title_runs and all(size is not None and size >= Pt(28) for size in title_runs)
        for text, size in runs(slide):
            assert size is not None, text
            if text.startswith(EDUCATION_NOTICE) and size == Pt(12):
                continue  # the footer line
            assert size >= Pt(14), (title_of(slide), text)


def test_eight_conditions_fit(kb: KnowledgeBase) -> None:
    conditions = tuple(kb.conditions)
    comparison = build_comparison(kb, conditions)
    deck = open_deck(slides_pptx(kb, comparison, [], view_url=VIEW_URL, generated=GENERATED, browser=False))
    found = tables(deck)
    assert sum(len(table.rows) - 1 for _, table in found) == len(comparison.rows)
    for _, table in found:
        assert len(table.columns) == len(conditions) + 1
        assert sum(col.width for col in table.columns) <= deck.slide_width
    sizes = [size for slide, _ in found for _, size in runs(slide) if size is not None]
    assert min(sizes) >= Pt(12)
    assert not any(title_of(s) == FALLBACK_TITLE for s in deck.slides)  # no charts asked for, none missing


def test_markup_is_kept_as_text(data_copy: Path) -> None:
    kb = injected_kb(data_copy)
    comparison = build_comparison(kb, CONDITIONS)
    data = slides_pptx(kb, comparison, make_charts(kb)[:1], view_url="javascript:alert(1)", generated=GENERATED, browser=False)
    deck = open_deck(data)
    header = [cell.text_frame.text for cell in tables(deck)[0][1].rows[0].cells]
    assert SCRIPT in header  # the condition's name, exactly as written: a deck has no HTML to run
    assert IMG in title_of(deck.slides[0])
    assert all("javascript" not in a for s in deck.slides for a in link_addresses(s))  # the view link is text only


def test_control_characters_do_not_break_the_deck(data_copy: Path) -> None:
    path = data_copy / "conditions" / "dgs.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("name: Deep gluteal syndrome", 'name: "Deep\\x07 gluteal syndrome"', 1))
    from components.knowledge import load_knowledge

    kb = load_knowledge(data_copy)
    deck = open_deck(slides_pptx(kb, build_comparison(kb, CONDITIONS), [], view_url=VIEW_URL, generated=GENERATED, browser=False))
    assert "Deep gluteal syndrome" in [c.text_frame.text for c in tables(deck)[0][1].rows[0].cells]


def test_mime() -> None:
    assert PPTX_MIME.endswith("presentationml.presentation")
