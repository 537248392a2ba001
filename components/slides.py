"""A PowerPoint deck of a comparison view for the lecture hall (pure: no streamlit).

Title slide, the comparison as native tables (split over slides, header repeated), one slide per
chart drawn by Kaleido in the system's Chromium (or a slide that says they could not be drawn),
and numbered references. Type is large enough for a projector.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.table import _Cell
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Inches, Pt

from components.chart_export import render_images
from components.charts import Chart
from components.compare import Comparison, cell_text
from components.handout import EDUCATION_NOTICE, citation_views, comparison_title, condition_names, long_date, safe_href
from components.knowledge.loader import KnowledgeBase

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_W = Inches(13.333)
SLIDE_H = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP = Inches(0.3)
TITLE_H = Inches(0.95)
BODY_TOP = Inches(1.35)
FOOTER_H = Inches(0.4)
BODY_BOTTOM = SLIDE_H - FOOTER_H - Inches(0.15)
CONTENT_W = SLIDE_W - 2 * MARGIN
ROWS_PER_SLIDE = 6
FULL_NAMES_UP_TO = 4
MIN_CHART_PX = 640
MAX_CHART_PX = 1100
INK = RGBColor(0x1B, 0x1B, 0x1B)
MUTED = RGBColor(0x55, 0x55, 0x55)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
WARN = RGBColor(0xB3, 0x4A, 0x00)
MARK = RGBColor(0x8A, 0x5A, 0x00)
_BREAKS = re.compile(r"\]\[")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# python-pptx's layouts in its default template
LAYOUT_TITLE = 0
LAYOUT_TITLE_ONLY = 5


def _x(text: str) -> str:
    """Text that XML can hold (control characters dropped)."""
    return _NOT_XML.sub("", text)


def _lines(text: str, width_emu: int, font_pt: float, *, bold: bool = False) -> int:
    """Rough number of lines a text wraps to in a box: greedy word wrap, glyphs about 0.5 em (0.56 bold) wide."""
    chars_per_line = max(4, int(width_emu / 12700 / (font_pt * (0.56 if bold else 0.5))))
    total = 0
    for part in text.split("\n"):
        lines, used = 1, 0
        for word in _BREAKS.sub("] [", part).split():  # a line may break between citation markers
            size = len(word)
            if used and used + 1 + size > chars_per_line:
                lines, used = lines + 1, 0
            if size > chars_per_line:  # a long word (a URL) breaks anywhere
                lines += (size - 1) // chars_per_line
                size = (size - 1) % chars_per_line + 1
            used = used + 1 + size if used else size
        total += lines
    return total


def _title(slide: Slide, text: str, size: int = 32) -> None:
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, TITLE_TOP, CONTENT_W, TITLE_H
    tf = shape.text_frame
    tf.word_wrap = True
    tf.text = _x(text)
    para = tf.paragraphs[0]
    para.alignment = PP_ALIGN.LEFT
    for run in para.runs:
        run.font.size = Pt(size)
        run.font.bold = True
        run.font.color.rgb = INK


def _footer(slide: Slide, generated: dt.date) -> None:
    box = slide.shapes.add_textbox(MARGIN, SLIDE_H - FOOTER_H - Inches(0.05), CONTENT_W, FOOTER_H)
    tf = box.text_frame
    tf.word_wrap = True
    run = tf.paragraphs[0].add_run()
    run.text = f"{EDUCATION_NOTICE} · {long_date(generated)}"
    run.font.size = Pt(12)
    run.font.color.rgb = MUTED


def _add_run(tf_para: _Paragraph, text: str, size: float, *, bold: bool = False, color: RGBColor = INK, link: str | None = None) -> None:
    run = tf_para.add_run()
    run.text = _x(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    if link:
        run.hyperlink.address = link


def _http_link(url: str) -> str | None:
    """A link a slide may carry: absolute http(s) only (a relative link has nothing to resolve against)."""
    href = safe_href(url)
    return href if href and href.lower().startswith(("http://", "https://")) else None


def _title_slide(prs: Presentation, kb: KnowledgeBase, comparison: Comparison, view_url: str, generated: dt.date) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(0.6), CONTENT_W, Inches(1.9)
    title.text_frame.word_wrap = True
    text = _x(comparison_title(kb, comparison))
    title.text_frame.text = text
    title.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size = Pt(44 if len(text) <= 45 else 36 if len(text) <= 75 else 30)
        run.font.bold = True
        run.font.color.rgb = INK
    body = slide.placeholders[1]
    body.left, body.top, body.width, body.height = MARGIN, Inches(2.75), CONTENT_W, Inches(4.1)
    tf: TextFrame = body.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    first = tf.paragraphs[0]
    first.alignment = PP_ALIGN.LEFT
    _add_run(first, "; ".join(condition_names(kb, comparison)), 24, color=INK)
    para = tf.add_paragraph()
    para.alignment = PP_ALIGN.LEFT
    _add_run(para, long_date(generated), 22, color=MUTED)
    para = tf.add_paragraph()
    para.alignment = PP_ALIGN.LEFT
    _add_run(para, "Live view: ", 18, color=MUTED)
    _add_run(para, view_url, 18, color=ACCENT, link=_http_link(view_url))
    para = tf.add_paragraph()
    para.alignment = PP_ALIGN.LEFT
    para.space_before = Pt(18)
    _add_run(para, EDUCATION_NOTICE, 24, bold=True, color=WARN)


@dataclass(frozen=True)
class _TableRow:
    label: str
    highlighted: bool
    cells: tuple[str, ...]


def _font_for(n_conditions: int) -> int:
    return 20 if n_conditions <= 2 else 18 if n_conditions <= 3 else 16 if n_conditions <= 4 else 14


def _column_widths(n_conditions: int) -> list[int]:
    first = Inches(2.6) if n_conditions <= 4 else Inches(2.0)
    rest = int((CONTENT_W - first) / n_conditions)
    return [int(first), *([rest] * n_conditions)]


def _row_height(texts: Sequence[str], widths: Sequence[int], font_pt: float, *, header: bool = False) -> int:
    pad = Inches(0.14)
    lines = max(_lines(t, w - Inches(0.16), font_pt, bold=header or i == 0) for i, (t, w) in enumerate(zip(texts, widths, strict=True)))
    return int(lines * Pt(font_pt) * 1.2 + pad)


def _row_texts(row: _TableRow) -> list[str]:
    return [row.label + ("\nbest separates" if row.highlighted else ""), *row.cells]


def paginate_rows(
    rows: Sequence[_TableRow], header: Sequence[str], n_conditions: int, rows_per_slide: int = ROWS_PER_SLIDE
) -> list[tuple[list[_TableRow], int]]:
    """Split table rows into slides (at most rows_per_slide, and what fits the height), each with its font size."""
    widths = _column_widths(n_conditions)
    available = BODY_BOTTOM - BODY_TOP
    pages: list[tuple[list[_TableRow], int]] = []
    font = _font_for(n_conditions)
    current: list[_TableRow] = []
    used = _row_height(header, widths, font, header=True)
    for row in rows:
        height = _row_height(_row_texts(row), widths, font)
        if current and (len(current) >= rows_per_slide or used + height > available):
            pages.append((current, font))
            current, used = [], _row_height(header, widths, font, header=True)
        current.append(row)
        used += height
    if current:
        pages.append((current, font))
    # A single row too tall for a slide at the usual size: shrink that slide's type (not below 12 pt).
    fitted = []
    for page_rows, size in pages:
        while size > 12:
            total = _row_height(header, widths, size, header=True) + sum(_row_height(_row_texts(r), widths, size) for r in page_rows)
            if total <= available:
                break
            size -= 1
        fitted.append((page_rows, size))
    return fitted


def _table_slides(prs: Presentation, kb: KnowledgeBase, comparison: Comparison, generated: dt.date, rows_per_slide: int) -> None:
    # Full names while they fit; with more than four columns the short names keep the header to a line or two.
    names = (
        condition_names(kb, comparison)
        if len(comparison.conditions) <= FULL_NAMES_UP_TO
        else [kb.conditions[c].short_name for c in comparison.conditions]
    )
    header = ["Feature", *names]
    rows = [
        _TableRow(row.feature.label, row.highlighted, tuple(cell_text(cell, comparison) for cell in row.cells)) for row in comparison.rows
    ]
    n = len(comparison.conditions)
    widths = _column_widths(n)
    pages = paginate_rows(rows, header, n, rows_per_slide)
    for index, (page_rows, font) in enumerate(pages, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        suffix = f" ({index} of {len(pages)})" if len(pages) > 1 else ""
        _title(slide, f"Comparison{suffix}")
        heights = [_row_height(header, widths, font, header=True)] + [_row_height(_row_texts(r), widths, font) for r in page_rows]
        shape = slide.shapes.add_table(len(page_rows) + 1, n + 1, MARGIN, BODY_TOP, CONTENT_W, Emu(sum(heights)))
        table = shape.table
        table.first_row = True
        table.horz_banding = True
        for c, width in enumerate(widths):
            table.columns[c].width = Emu(width)
        for r, height in enumerate(heights):
            table.rows[r].height = Emu(height)
        for c, text in enumerate(header):
            _fill_cell(table.cell(0, c), text, font, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
        for r, row in enumerate(page_rows, start=1):
            _fill_cell(table.cell(r, 0), row.label, font, bold=True, note="best separates" if row.highlighted else None)
            for c, text in enumerate(row.cells, start=1):
                _fill_cell(table.cell(r, c), text, font)
        slide.notes_slide.notes_text_frame.text = (
            "Numbers in square brackets are the references on the last slides. "
            "'best separates' marks the features whose reported values differ most between these conditions."
        )
        _footer(slide, generated)


def _fill_cell(cell: _Cell, text: str, size: float, *, bold: bool = False, color: RGBColor = INK, note: str | None = None) -> None:
    cell.margin_left = cell.margin_right = Inches(0.08)
    cell.margin_top = cell.margin_bottom = Inches(0.04)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    tf = cell.text_frame
    tf.word_wrap = True
    para = tf.paragraphs[0]
    _add_run(para, text, size, bold=bold, color=color)
    if note:
        extra = tf.add_paragraph()
        _add_run(extra, note, max(12, size - 4), color=MARK)


def _fit(width_px: int, height_px: int, box_w: int, box_h: int) -> tuple[int, int]:
    ratio = min(box_w / width_px, box_h / height_px)
    return int(width_px * ratio), int(height_px * ratio)


def _chart_slides(prs: Presentation, charts: Sequence[Chart], view_url: str, generated: dt.date, browser: bool | str) -> bool:
    """One slide per chart; or one slide saying they could not be drawn. True when the pictures were drawn."""
    if not charts:
        return True
    summary_h = Inches(1.0)
    box_w, box_h = CONTENT_W, BODY_BOTTOM - BODY_TOP - summary_h
    # Each chart drawn about as wide as the slide's box is for its height, so its type grows to fill the slide.
    sizes = []
    for chart in charts:
        height = int(chart.figure.layout.height or 450)
        sizes.append((max(MIN_CHART_PX, min(MAX_CHART_PX, round(height * box_w / box_h))), height))
    images = render_images(
        [c.figure for c in charts], width=[w for w, _ in sizes], height=[h for _, h in sizes], format="png", scale=2, browser=browser
    )
    if images is None:
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        _title(slide, "The charts could not be drawn")
        box = slide.shapes.add_textbox(MARGIN, BODY_TOP, CONTENT_W, BODY_BOTTOM - BODY_TOP)
        tf = box.text_frame
        tf.word_wrap = True
        _add_run(tf.paragraphs[0], "No browser was available to draw the charts as pictures when these slides were made.", 22)
        para = tf.add_paragraph()
        para.space_before = Pt(10)
        _add_run(para, "Open the live view to show them: ", 20)
        _add_run(para, view_url, 20, color=ACCENT, link=_http_link(view_url))
        para = tf.add_paragraph()
        para.space_before = Pt(14)
        _add_run(para, "What they show:", 20, bold=True)
        for chart in charts:
            para = tf.add_paragraph()
            para.space_before = Pt(6)
            _add_run(para, "• " + chart.summary, 16)
        _footer(slide, generated)
        return False
    for chart, png, (width_px, height) in zip(charts, images, sizes, strict=True):
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        title = chart.figure.layout.title.text if chart.figure.layout.title else None
        _title(slide, str(title) if title else "Chart")
        w, h = _fit(width_px, height, box_w, box_h)
        slide.shapes.add_picture(io.BytesIO(png), MARGIN + (CONTENT_W - w) // 2, BODY_TOP, Emu(w), Emu(h))
        text = slide.shapes.add_textbox(MARGIN, BODY_TOP + h + Inches(0.1), CONTENT_W, summary_h)
        text.text_frame.word_wrap = True
        size = 18 if len(chart.summary) < 220 else 15
        _add_run(text.text_frame.paragraphs[0], chart.summary, size)
        slide.notes_slide.notes_text_frame.text = _x(chart.summary)
        _footer(slide, generated)
    return True


def _reference_slides(prs: Presentation, kb: KnowledgeBase, comparison: Comparison, generated: dt.date) -> None:
    cites = citation_views(kb, comparison)
    size = 16
    available = BODY_BOTTOM - BODY_TOP
    pages: list[list] = []
    current: list = []
    used = 0
    for cite in cites:
        text = f"[{cite.number}] {cite.text} {cite.design}. {cite.link_text or ''}"
        height = _lines(text, CONTENT_W - Inches(0.2), size) * Pt(size) * 1.2 + Pt(6)
        if current and used + height > available:
            pages.append(current)
            current, used = [], 0
        current.append(cite)
        used += height
    if current or not pages:
        pages.append(current)
    for index, page in enumerate(pages, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        suffix = f" ({index} of {len(pages)})" if len(pages) > 1 else ""
        _title(slide, f"References{suffix}")
        box = slide.shapes.add_textbox(MARGIN, BODY_TOP, CONTENT_W, available)
        tf = box.text_frame
        tf.word_wrap = True
        if not page:
            _add_run(tf.paragraphs[0], "No references are cited by this table.", 18)
        for i, cite in enumerate(page):
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.space_after = Pt(6)
            _add_run(para, f"[{cite.number}] ", size, bold=True)
            _add_run(para, f"{cite.text} ", size)
            _add_run(para, f"{cite.design}. ", size, color=MUTED)
            if cite.link_text:
                _add_run(para, cite.link_text, size, color=ACCENT if cite.link else INK, link=cite.link)
        _footer(slide, generated)


def slides_pptx(
    kb: KnowledgeBase,
    comparison: Comparison,
    charts: Sequence[Chart],
    *,
    view_url: str,
    generated: dt.date,
    browser: bool | str = True,
    rows_per_slide: int = ROWS_PER_SLIDE,
) -> bytes:
    """A 16:9 deck: title, native comparison tables, chart pictures (or a could-not-draw slide), references."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    props = prs.core_properties
    props.title = _x(comparison_title(kb, comparison))[:250]
    props.subject = "HipLens comparison (for education, not diagnosis)"
    props.author = "HipLens"
    props.last_modified_by = "HipLens"
    props.keywords = "HipLens; hip pain; comparison"
    moment = dt.datetime(generated.year, generated.month, generated.day)
    props.created = props.modified = moment
    props.revision = 1
    _title_slide(prs, kb, comparison, view_url, generated)
    _table_slides(prs, kb, comparison, generated, rows_per_slide)
    _chart_slides(prs, charts, view_url, generated, browser)
    _reference_slides(prs, kb, comparison, generated)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
