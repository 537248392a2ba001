"""Downloads of a differential: CSV, a printable HTML handout and a PowerPoint deck (pure: no streamlit).

They show the case entered, the red flags to rule out first, the ranked differential (chart and
table), why the leading conditions rank where they do (each weight with its sources), what to check
next and how the numbers are worked out. The HTML handout is built like the comparison handout
(components/handout.py: autoescaped Jinja2, nothing fetched, a Content-Security-Policy, print CSS,
the chart as a static image or drawn by inlined plotly.js); the deck like the comparison deck
(components/slides.py).
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from components.chart_export import for_export, render_images
from components.charts import LECTURE, NORMAL, Chart, differential_chart
from components.compare import Citations, Comparison, reference_line
from components.diagnosis import Ranked, TestSuggestion, red_flags_present
from components.differential import GROUP_LABELS, GROUPS, by_group, finding_test_names
from components.handout import (
    EDUCATION_NOTICE,
    SVG_WIDTH,
    CitationView,
    _chart_title,
    _csp_hash,
    _env,
    _plotly_js_version,
    _plotly_parts,
    citation_views,
    long_date,
    safe_href,
)
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import Preset
from components.palette import OUTLINE
from components.safety import csv_safe
from components.slides import (
    ACCENT,
    BODY_BOTTOM,
    BODY_TOP,
    CONTENT_W,
    INK,
    LAYOUT_TITLE,
    LAYOUT_TITLE_ONLY,
    MARGIN,
    MUTED,
    SLIDE_H,
    SLIDE_W,
    WARN,
    _add_run,
    _chart_slides,
    _fill_cell,
    _footer,
    _http_link,
    _lines,
    _reference_slides,
    _row_height,
    _title,
    _x,
)

INDEPENDENCE_STATEMENT = (
    "How this is worked out: Bayes' theorem with each finding treated as independent of the others once the "
    "condition is known (naive Bayes), and the patient assumed to have one of these eight conditions. Real findings "
    "are often correlated, so treat the numbers as a teaching estimate. Frequencies marked 'estimate' are judgements "
    "from the sources' wording, not measurements."
)
TOP_REASONS = 4  # conditions whose reasons the handout explains (as the page does)
DECK_REASONS = 3  # conditions given a 'why' slide in the deck
DECK_ITEMS = 6  # reasons per column on a 'why' slide
CSV_MIME = "text/csv"
# The lecture style with slimmer bars: eight rows drawn about as wide as a slide is for its height, so the type stays large.
DECK_CHART = replace(LECTURE, height_per_row=44)
_RED = RGBColor(0xB0, 0x1C, 0x1C)


def differential_filename(generated: dt.date, extension: str = "html") -> str:
    """Download file name, e.g. 'hiplens-differential-2026-11-29.html'."""
    return f"hiplens-differential-{generated.isoformat()}.{extension}"


def differential_title(sex: str | None, age: float | None) -> str:
    """Title of a handout or deck, e.g. 'Differential for a case: female, 45 years'."""
    parts = [p for p in (sex or "", f"{age:g} years" if age is not None else "") if p]
    return "Differential for a case" + (": " + ", ".join(parts) if parts else "")


def _pct(p: float) -> str:
    return f"{p * 100:.1f}%"


def _ratio(weight: float) -> str:
    return "×∞" if math.isinf(weight) else f"×{weight:.2f}"


def _markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


# ---------------------------------------------------------------- what every format shows


@dataclass(frozen=True)
class FindingView:
    """A finding entered, as the case lists it."""

    id: str
    label: str
    present: bool
    red_flag: bool


@dataclass(frozen=True)
class GroupView:
    """The findings entered in one group (history, examination or imaging)."""

    label: str
    present: tuple[FindingView, ...]
    absent: tuple[FindingView, ...]


@dataclass(frozen=True)
class CaseView:
    """The case: findings by group, sex, age, setting and how the pre-test probabilities were set."""

    groups: tuple[GroupView, ...]
    n_findings: int
    sex: str
    age: str
    setting: str
    setting_description: str | None
    pretest_basis: str


@dataclass(frozen=True)
class RedFlagView:
    """A condition to rule out first, the red flag that asks for it, and its sources."""

    rule_out: str
    because: str
    refs: tuple[int, ...]


@dataclass(frozen=True)
class ReasonView:
    """One finding's weight for or against a condition, with its sources."""

    text: str
    ratio: str
    refs: tuple[int, ...]
    note: str

    def line(self) -> str:
        """The reason as one line of text: 'Buttock pain present: ×1.70 [3][4] (estimate)'."""
        refs = " " + _markers(self.refs) if self.refs else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.text}: {self.ratio}{refs}{note}"


@dataclass(frozen=True)
class ConditionView:
    """One condition of the ranked differential, with its pre-test basis and (for the leaders) its reasons."""

    rank: int
    id: str
    name: str
    short: str
    pretest: str
    pretest_refs: tuple[int, ...]
    pretest_note: str
    posttest: str
    probability: float
    supporting: tuple[ReasonView, ...]
    opposing: tuple[ReasonView, ...]
    explained: bool
    more_for: int = 0  # reasons left out (beyond `items`)
    more_against: int = 0


@dataclass(frozen=True)
class SuggestionView:
    """A finding worth checking next and what either result would do."""

    label: str
    tests: str
    gain: str
    if_present: str
    if_absent: str

    def line(self) -> str:
        """The suggestion as one line of text."""
        via = f" (tests: {self.tests})" if self.tests else ""
        return f"{self.label}{via}: {self.gain} expected. If present → {self.if_present}; if absent → {self.if_absent}"


def _preset(kb: KnowledgeBase, setting: str | None) -> Preset | None:
    return next((p for p in kb.settings.presets if p.id == setting), None) if setting else None


def _normalised(values: Mapping[str, float]) -> dict[str, float]:
    total = sum(values.values()) or 1.0
    return {k: v / total for k, v in values.items()}


def _adjusted(kb: KnowledgeBase, ranked: Sequence[Ranked], preset: Preset | None) -> bool:
    """Whether the pre-test probabilities used differ from the setting's (or from equal ones without a setting)."""
    if preset is not None:
        expected = _normalised({c: next((p.value for p in preset.pretest if p.condition == c), 0.0) for c in kb.conditions})
    else:
        expected = {c: 1.0 / len(kb.conditions) for c in kb.conditions}
    return any(abs(r.pretest - expected.get(r.condition, 0.0)) > 0.001 for r in ranked)


def case_view(
    kb: KnowledgeBase, ranked: Sequence[Ranked], findings: Mapping[str, bool], *, sex: str | None, age: float | None, setting: str | None
) -> CaseView:
    """The case entered, findings grouped by history, examination and imaging."""

    def views(ids: Sequence[str], present: bool) -> tuple[FindingView, ...]:
        return tuple(FindingView(f, kb.findings[f].label, present, kb.findings[f].red_flag) for f in ids)

    yes = by_group(kb, [f for f, p in findings.items() if p])
    no = by_group(kb, [f for f, p in findings.items() if not p])
    groups = tuple(GroupView(GROUP_LABELS[g], views(yes[g], True), views(no[g], False)) for g in GROUPS if yes[g] or no[g])
    preset = _preset(kb, setting)
    adjusted = _adjusted(kb, ranked, preset)
    if preset is not None:
        label, description = preset.label, preset.description
        basis = (
            "set by hand, starting from this setting's estimates; the values used are in the table"
            if adjusted
            else "this setting's estimates, with their sources in the table"
        )
    else:
        label, description = ("not found: " + setting if setting else "none chosen"), None
        basis = "set by hand; the values used are in the table" if adjusted else "equal for all eight conditions"
    return CaseView(
        groups=groups,
        n_findings=len(findings),
        sex=sex or "not given",
        age=f"{age:g} years" if age is not None else "not given",
        setting=label,
        setting_description=description,
        pretest_basis=basis,
    )


def red_flag_views(kb: KnowledgeBase, findings: Mapping[str, bool], citations: Citations) -> list[RedFlagView]:
    """What each red flag entered asks to rule out, with its sources numbered."""
    out = []
    for fid in red_flags_present(kb, findings):
        finding = kb.findings[fid]
        for item in finding.rule_out:
            out.append(RedFlagView(item.name, finding.label, tuple(citations.number(r) for r in item.refs)))
    return out


def _reason(
    kb: KnowledgeBase,
    condition: str,
    key: str,
    weight: float,
    findings: Mapping[str, bool],
    sex: str | None,
    age: float | None,
    citations: Citations,
) -> ReasonView:
    if key in kb.findings:
        row = next((x for x in kb.findings[key].frequency if x.condition == condition), None)
        refs = row.refs if row else ()
        note = "estimate" if row is not None and row.basis == "estimate" else ""
        text = f"{kb.findings[key].label} {'present' if findings.get(key) else 'absent'}"
    else:
        feature = "female_pct" if key == "sex" else "age_years"
        rows = kb.values_for(condition, feature)
        refs = tuple(dict.fromkeys(x.ref for x in rows if x.ref and x.basis in ("reported", "derived")))
        note = "estimate: spread of ages" if key == "age" else ""
        text = f"{(sex or '').capitalize()} sex" if key == "sex" else f"Age {age:g} years" if age is not None else "Age"
    return ReasonView(text, _ratio(weight), tuple(citations.number(r) for r in refs), note)


def condition_views(
    kb: KnowledgeBase,
    ranked: Sequence[Ranked],
    findings: Mapping[str, bool],
    *,
    sex: str | None,
    age: float | None,
    setting: str | None,
    citations: Citations,
    explain: int,
    items: int | None = None,
) -> list[ConditionView]:
    """The ranked conditions with pre-test sources and, for the first `explain`, up to `items` reasons each way."""
    preset = _preset(kb, setting)
    adjusted = _adjusted(kb, ranked, preset)
    out = []
    for index, r in enumerate(ranked, start=1):
        share = next((p for p in preset.pretest if p.condition == r.condition), None) if preset else None
        refs: tuple[int, ...] = ()
        note = ""
        if share is not None and not adjusted:
            refs = tuple(citations.number(x) for x in share.refs)
            note = share.basis
        elif adjusted:
            note = "set by hand"
        explained = index <= explain
        supporting: tuple[ReasonView, ...] = ()
        opposing: tuple[ReasonView, ...] = ()
        if explained:
            supporting = tuple(_reason(kb, r.condition, c.finding, c.weight, findings, sex, age, citations) for c in r.supporting[:items])
            opposing = tuple(_reason(kb, r.condition, c.finding, c.weight, findings, sex, age, citations) for c in r.opposing[:items])
        cond = kb.conditions[r.condition]
        out.append(
            ConditionView(
                rank=index,
                id=r.condition,
                name=cond.name,
                short=cond.short_name,
                pretest=_pct(r.pretest),
                pretest_refs=refs,
                pretest_note=note,
                posttest=_pct(r.probability),
                probability=r.probability,
                supporting=supporting,
                opposing=opposing,
                explained=explained,
                more_for=len(r.supporting) - len(supporting) if explained else 0,
                more_against=len(r.opposing) - len(opposing) if explained else 0,
            )
        )
    return out


def suggestion_views(kb: KnowledgeBase, suggestions: Sequence[TestSuggestion]) -> list[SuggestionView]:
    """What to check next, by expected information gain."""
    out = []
    for s in suggestions:
        finding = kb.findings[s.finding]
        tests = ", ".join(finding_test_names(kb, s.finding))
        out.append(
            SuggestionView(
                finding.label,
                tests,
                f"{s.information_gain:.2f} bits",
                f"{kb.conditions[s.if_present].short_name} {s.top_if_present * 100:.0f}%",
                f"{kb.conditions[s.if_absent].short_name} {s.top_if_absent * 100:.0f}%",
            )
        )
    return out


def _citations(kb: KnowledgeBase, citations: Citations) -> list[CitationView]:
    return citation_views(kb, Comparison((), (), tuple(citations.order)))


def _chart(kb: KnowledgeBase, ranked: Sequence[Ranked], deck: bool) -> Chart:
    """The differential chart as files show it: a fixed template, whatever process draws it.

    Importing Streamlit makes its own template plotly's default, and figures built in the app carry it: its
    colours are placeholders the app's front end fills in, and its axes do not grow to fit their labels.
    """
    chart = differential_chart(kb, ranked, DECK_CHART if deck else NORMAL)
    fig = for_export(chart.figure)
    fig.update_traces(marker_color=OUTLINE, selector={"type": "scatter"})  # the pre-test ticks
    return Chart(fig, chart.summary)


def _browser(browser: bool | str | None) -> bool | str:
    return True if browser is None else browser


# ---------------------------------------------------------------- CSV


def differential_csv(
    kb: KnowledgeBase, ranked: Sequence[Ranked], findings: Mapping[str, bool], *, sex: str | None, age: float | None, setting: str | None
) -> str:
    """The differential as CSV: one row per condition with its reasons, then the case, red flags and numbered references."""
    citations = Citations()
    rows = condition_views(kb, ranked, findings, sex=sex, age=age, setting=setting, citations=citations, explain=len(ranked))
    flags = red_flag_views(kb, findings, citations)
    case = case_view(kb, ranked, findings, sex=sex, age=age, setting=setting)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        [
            "Rank",
            "Condition",
            "Pre-test %",
            "Post-test %",
            "For (finding: likelihood ratio)",
            "Against (finding: likelihood ratio)",
            "Pre-test sources",
        ]
    )
    for row, r in zip(rows, ranked, strict=True):
        writer.writerow(
            [
                row.rank,
                csv_safe(row.name),
                f"{r.pretest * 100:.1f}",
                f"{r.probability * 100:.1f}",
                csv_safe("; ".join(x.line() for x in row.supporting)),
                csv_safe("; ".join(x.line() for x in row.opposing)),
                csv_safe(" ".join(x for x in (_markers(row.pretest_refs), row.pretest_note) if x)),
            ]
        )
    writer.writerow([])
    writer.writerow(["Finding entered", "Group", "State"])
    for group in case.groups:
        for item in (*group.present, *group.absent):
            label = item.label + (" (red flag)" if item.red_flag else "")
            writer.writerow([csv_safe(label), group.label, "present" if item.present else "absent"])
    if not case.groups:
        writer.writerow(["None: every finding is unknown", "", ""])
    writer.writerow([])
    writer.writerow(["Case", "Value"])
    writer.writerow(["Sex", csv_safe(case.sex)])
    writer.writerow(["Age", csv_safe(case.age)])
    writer.writerow(["Setting", csv_safe(case.setting)])
    writer.writerow(["Pre-test probabilities", csv_safe(case.pretest_basis)])
    if flags:
        writer.writerow([])
        writer.writerow(["Do not miss: rule out", "Because of (red flag)", "Sources"])
        for flag in flags:
            writer.writerow([csv_safe(flag.rule_out), csv_safe(flag.because), _markers(flag.refs)])
    writer.writerow([])
    writer.writerow(["Reference", "Citation"])
    for number, ref_id in enumerate(citations.order, start=1):
        writer.writerow([f"[{number}]", csv_safe(reference_line(kb.references[ref_id]))])
    writer.writerow([])
    writer.writerow(["Note", f"{EDUCATION_NOTICE} {INDEPENDENCE_STATEMENT}"])
    return buf.getvalue()


# ---------------------------------------------------------------- HTML


def differential_html(
    kb: KnowledgeBase,
    ranked: Sequence[Ranked],
    findings: Mapping[str, bool],
    *,
    sex: str | None,
    age: float | None,
    setting: str | None,
    suggestions: Sequence[TestSuggestion],
    view_url: str,
    generated: dt.date,
    browser: bool | str | None = None,
) -> str:
    """A self-contained printable HTML handout of the differential: case, red flags, chart, table, reasons, next tests, sources.

    browser: None or True finds Chromium, a string is its path, False draws the chart with inlined plotly.js instead.
    """
    citations = Citations()
    case = case_view(kb, ranked, findings, sex=sex, age=age, setting=setting)
    flags = red_flag_views(kb, findings, citations)
    rows = condition_views(kb, ranked, findings, sex=sex, age=age, setting=setting, citations=citations, explain=TOP_REASONS)
    chart = _chart(kb, ranked, deck=False)
    images = render_images([chart.figure], width=SVG_WIDTH, format="svg", browser=_browser(browser))
    scripts: list[str] = []
    if images is not None:
        chart_mode = "images"
        chart_view = {
            "title": _chart_title(chart.figure, 1),
            "summary": chart.summary,
            "src": "data:image/svg+xml;base64," + base64.b64encode(images[0]).decode("ascii"),
        }
    else:
        import plotly.offline

        chart_mode = "plotly"
        views, draw = _plotly_parts([chart])
        chart_view = views[0]
        scripts = [plotly.offline.get_plotlyjs(), draw]
    script_src = " ".join(_csp_hash(s) for s in scripts) if scripts else "'none'"
    csp = (
        f"default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src {script_src}; base-uri 'none'; form-action 'none'"
    )
    return _env.get_template("differential.html").render(
        title=differential_title(sex, age),
        case=case,
        flags=flags,
        rows=rows,
        explained=[r for r in rows if r.explained],
        chart=chart_view,
        chart_mode=chart_mode,
        suggestions=suggestion_views(kb, suggestions),
        independence=INDEPENDENCE_STATEMENT,
        citations=_citations(kb, citations),
        notice=EDUCATION_NOTICE,
        view_url=view_url,
        view_href=safe_href(view_url),
        date_iso=generated.isoformat(),
        date_long=long_date(generated),
        csp=csp,
        scripts=[Markup(s) for s in scripts],  # our own code and the plotly package's; data inside is JSON-escaped
        plotly_version=_plotly_js_version() if chart_mode == "plotly" else "",
    )


# ---------------------------------------------------------------- PowerPoint


def _fit_text(texts: Sequence[str], width: int, height: int, sizes: Sequence[int]) -> int:
    """The largest font size (of sizes, largest first) at which the paragraphs fit the box; else the smallest."""
    for size in sizes:
        lines = sum(_lines(t, width - Inches(0.2), size) for t in texts)
        if lines * Pt(size) * 1.2 + len(texts) * Pt(6) <= height:
            return size
    return sizes[-1]


def _title_slide(prs: Presentation, case: CaseView, title: str, view_url: str, generated: dt.date) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, Inches(0.4), CONTENT_W, Inches(1.3)
    shape.text_frame.word_wrap = True
    shape.text_frame.text = _x(title)
    shape.text_frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    shape.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    for run in shape.text_frame.paragraphs[0].runs:
        run.font.size = Pt(40)
        run.font.bold = True
        run.font.color.rgb = INK
    lines: list[tuple[str, str]] = []
    for group in case.groups:
        for name, items in (("present", group.present), ("absent", group.absent)):
            if items:
                lines.append((f"{group.label}, {name}: ", "; ".join(i.label + (" (red flag)" if i.red_flag else "") for i in items)))
    if not case.groups:
        lines.append(("Findings: ", "none entered (every finding unknown)"))
    lines.append(("Sex: ", f"{case.sex} · Age: {case.age}"))
    lines.append(("Setting: ", f"{case.setting} (pre-test probabilities: {case.pretest_basis})"))
    body = slide.placeholders[1]
    top = Inches(1.85)
    height = SLIDE_H - top - Inches(0.4)
    body.left, body.top, body.width, body.height = MARGIN, top, CONTENT_W, height
    tf: TextFrame = body.text_frame
    tf.word_wrap = True
    tf.vertical_anchor = MSO_ANCHOR.TOP
    # the date, the live-view link and the notice take about 1.5 inches below the case
    size = _fit_text([a + b for a, b in lines], CONTENT_W, height - Inches(1.5), (20, 18, 16, 14))
    for i, (head, text) in enumerate(lines):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        para.space_after = Pt(4)
        _add_run(para, head, size, bold=True)
        _add_run(para, text, size)
    para = tf.add_paragraph()
    para.space_before = Pt(10)
    _add_run(para, long_date(generated), 18, color=MUTED)
    para = tf.add_paragraph()
    _add_run(para, "Live view: ", 16, color=MUTED)
    _add_run(para, view_url, 16, color=ACCENT, link=_http_link(view_url))
    para = tf.add_paragraph()
    para.space_before = Pt(10)
    _add_run(para, EDUCATION_NOTICE, 22, bold=True, color=WARN)
    for para in tf.paragraphs:
        para.alignment = PP_ALIGN.LEFT


def _red_flag_slide(prs: Presentation, flags: Sequence[RedFlagView], generated: dt.date) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, "Do not miss: rule out first")
    box = slide.shapes.add_textbox(MARGIN, BODY_TOP, CONTENT_W, BODY_BOTTOM - BODY_TOP)
    tf = box.text_frame
    tf.word_wrap = True
    texts = [f"• {f.rule_out} (because of: {f.because}) {_markers(f.refs)}" for f in flags]
    size = _fit_text(
        ["None of the eight conditions explains these findings.", *texts], CONTENT_W, BODY_BOTTOM - BODY_TOP, (22, 20, 18, 16, 14)
    )
    _add_run(tf.paragraphs[0], "None of the eight conditions explains these findings.", size, bold=True, color=_RED)
    for flag in flags:
        para = tf.add_paragraph()
        para.space_before = Pt(6)
        _add_run(para, f"• {flag.rule_out}", size, bold=True)
        _add_run(para, f" (because of: {flag.because}) {_markers(flag.refs)}", size)
    slide.notes_slide.notes_text_frame.text = "Numbers in square brackets are the references on the last slides."
    _footer(slide, generated)


_HEADER = ("#", "Condition", "Pre-test", "Post-test", "Strongest for", "Strongest against")


def _table_widths() -> list[int]:
    fixed = [Inches(0.6), Inches(3.0), Inches(1.55), Inches(1.45)]
    rest = int((CONTENT_W - sum(fixed)) / 2)
    return [int(w) for w in fixed] + [rest, rest]


def _table_texts(row: ConditionView) -> list[str]:
    pre = row.pretest + (" " + _markers(row.pretest_refs) if row.pretest_refs else "")
    return [
        str(row.rank),
        row.name,
        pre,
        row.posttest,
        row.supporting[0].line() if row.supporting else "none",
        row.opposing[0].line() if row.opposing else "none",
    ]


def _table_pages(rows: Sequence[ConditionView]) -> list[tuple[list[ConditionView], int]]:
    """All rows on one slide at the largest size that fits (18 to 14 pt), else split over slides at 14 pt."""
    widths = _table_widths()
    available = BODY_BOTTOM - BODY_TOP - Inches(0.3)

    def height(page: Sequence[ConditionView], size: int) -> int:
        return _row_height(_HEADER, widths, size, header=True) + sum(_row_height(_table_texts(r), widths, size) for r in page)

    for size in (18, 17, 16, 15, 14):
        if height(rows, size) <= available:
            return [(list(rows), size)]
    pages: list[tuple[list[ConditionView], int]] = []
    current: list[ConditionView] = []
    for row in rows:
        if current and height([*current, row], 14) > available:
            pages.append((current, 14))
            current = []
        current.append(row)
    if current:
        pages.append((current, 14))
    return pages


def _table_slides(prs: Presentation, rows: Sequence[ConditionView], generated: dt.date) -> None:
    widths = _table_widths()
    pages = _table_pages(rows)
    for index, (page_rows, size) in enumerate(pages, start=1):
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        suffix = f" ({index} of {len(pages)})" if len(pages) > 1 else ""
        _title(slide, f"Ranked differential{suffix}")
        heights = [_row_height(_HEADER, widths, size, header=True)] + [_row_height(_table_texts(r), widths, size) for r in page_rows]
        shape = slide.shapes.add_table(len(page_rows) + 1, len(_HEADER), MARGIN, BODY_TOP, CONTENT_W, Emu(sum(heights)))
        table = shape.table
        table.first_row = True
        table.horz_banding = True
        for c, width in enumerate(widths):
            table.columns[c].width = Emu(width)
        for r, h in enumerate(heights):
            table.rows[r].height = Emu(h)
        for c, text in enumerate(_HEADER):
            _fill_cell(table.cell(0, c), text, size, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF))
        for r, row in enumerate(page_rows, start=1):
            for c, text in enumerate(_table_texts(row)):
                _fill_cell(table.cell(r, c), text, size, bold=c in (1, 3))
        slide.notes_slide.notes_text_frame.text = (
            "Post-test probability after the findings entered; pre-test from the setting. 'Strongest for/against' is the "
            "finding with the largest likelihood ratio for or against the condition. Numbers in square brackets are the references. "
            + INDEPENDENCE_STATEMENT
        )
        _footer(slide, generated)


def _reason_slides(prs: Presentation, rows: Sequence[ConditionView], generated: dt.date) -> None:
    col_w = int((CONTENT_W - Inches(0.4)) / 2)
    for row in rows:
        if not row.explained:
            continue
        slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
        _title(slide, _x(f"Why {row.short}: {row.posttest} (pre-test {row.pretest})"), 30)
        columns = (
            ("For", row.supporting, row.more_for, MARGIN),
            ("Against", row.opposing, row.more_against, MARGIN + col_w + Inches(0.4)),
        )
        # the heading and a 'more' line take about an inch of each column
        size = min(
            _fit_text([f"• {x.line()}" for x in items] or ["none"], col_w, BODY_BOTTOM - BODY_TOP - Inches(1.0), (20, 18, 16, 14))
            for _, items, _, _ in columns
        )
        for heading, items, more, left in columns:
            box = slide.shapes.add_textbox(left, BODY_TOP, col_w, BODY_BOTTOM - BODY_TOP)
            tf = box.text_frame
            tf.word_wrap = True
            _add_run(tf.paragraphs[0], heading, size + 2, bold=True, color=ACCENT)
            if not items:
                para = tf.add_paragraph()
                _add_run(para, "none of the findings entered", size, color=MUTED)
            for item in items:
                para = tf.add_paragraph()
                para.space_before = Pt(6)
                _add_run(para, f"• {item.text}: ", size)
                _add_run(para, item.ratio, size, bold=True)
                _add_run(
                    para, (" " + _markers(item.refs) if item.refs else "") + (f" ({item.note})" if item.note else ""), size, color=MUTED
                )
            if more:
                para = tf.add_paragraph()
                para.space_before = Pt(6)
                _add_run(para, f"… and {more} more in the handout", size, color=MUTED)
        slide.notes_slide.notes_text_frame.text = (
            "Each weight is the likelihood ratio of the finding for this condition against the others (above 1 supports, below 1 opposes)."
        )
        _footer(slide, generated)


def _text_slide(prs: Presentation, title: str, paragraphs: Sequence[str], generated: dt.date) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _title(slide, title)
    box = slide.shapes.add_textbox(MARGIN, BODY_TOP, CONTENT_W, BODY_BOTTOM - BODY_TOP)
    tf = box.text_frame
    tf.word_wrap = True
    size = _fit_text(paragraphs, CONTENT_W, BODY_BOTTOM - BODY_TOP, (22, 20, 18, 16, 14))
    for i, text in enumerate(paragraphs):
        para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        para.space_after = Pt(8)
        _add_run(para, text, size)
    _footer(slide, generated)


def differential_pptx(
    kb: KnowledgeBase,
    ranked: Sequence[Ranked],
    findings: Mapping[str, bool],
    *,
    sex: str | None,
    age: float | None,
    setting: str | None,
    suggestions: Sequence[TestSuggestion],
    view_url: str,
    generated: dt.date,
    browser: bool | str | None = None,
) -> bytes:
    """A 16:9 deck: the case, red flags, the chart (or a could-not-draw slide), the table, reasons, next tests, method, references."""
    citations = Citations()  # numbered in slide order: red flags, the table, then the 'why' slides
    case = case_view(kb, ranked, findings, sex=sex, age=age, setting=setting)
    flags = red_flag_views(kb, findings, citations)
    table_rows = condition_views(kb, ranked, findings, sex=sex, age=age, setting=setting, citations=citations, explain=len(ranked), items=1)
    reason_rows = condition_views(
        kb, ranked, findings, sex=sex, age=age, setting=setting, citations=citations, explain=DECK_REASONS, items=DECK_ITEMS
    )
    title = differential_title(sex, age)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    props = prs.core_properties
    props.title = _x(title)[:250]
    props.subject = "HipLens differential (for education, not diagnosis)"
    props.author = "HipLens"
    props.last_modified_by = "HipLens"
    props.keywords = "HipLens; hip pain; differential diagnosis"
    props.created = props.modified = dt.datetime(generated.year, generated.month, generated.day)
    props.revision = 1
    _title_slide(prs, case, title, view_url, generated)
    if flags:
        _red_flag_slide(prs, flags, generated)
    _chart_slides(prs, [_chart(kb, ranked, deck=True)], view_url, generated, _browser(browser))
    _table_slides(prs, table_rows, generated)
    _reason_slides(prs, reason_rows, generated)
    items = suggestion_views(kb, suggestions)
    if items:
        _text_slide(prs, "Test next", [f"• {s.line()}" for s in items], generated)
    _text_slide(prs, "How these numbers are worked out", [INDEPENDENCE_STATEMENT, EDUCATION_NOTICE], generated)
    _reference_slides(prs, kb, Comparison((), (), tuple(citations.order)), generated)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
