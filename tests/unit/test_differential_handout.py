"""Downloads of the differential: CSV, HTML handout and PowerPoint deck hold the case, the ranking and its sources."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from pptx.presentation import Presentation as PresentationType
from pptx.util import Pt

from components import chart_export, diagnosis
from components.diagnosis import Ranked, default_pretest, next_best_tests, rank
from components.differential_handout import (
    INDEPENDENCE_STATEMENT,
    TOP_REASONS,
    differential_csv,
    differential_filename,
    differential_html,
    differential_pptx,
)
from components.handout import EDUCATION_NOTICE, doi_url
from components.knowledge import load_knowledge
from components.knowledge.loader import KnowledgeBase
from tests.unit.test_handout import GENERATED, IMG, JS_LINK, SCRIPT, escape, fetched_resources, hrefs, inject_markup, replace_in
from tests.unit.test_slides import FALLBACK_TITLE, link_addresses, open_deck, pictures, runs, slide_text, tables, title_of

SETTING = "primary_care_buttock_leg"
FINDINGS = {
    "buttock_pain": True,
    "worse_sitting": True,
    "red_flag_fever_infection_risk": True,
    "positive_slr": False,
    "narrowed_ischiofemoral_space_on_mri": True,
    "disc_herniation_on_mri": False,
}
VIEW_URL = "https://hiplens.example/differential?yes=buttock_pain&yes=worse_sitting&no=positive_slr&sex=female&age=45"
FORMULAS = ("=", "+", "-", "@")
HEADER = ("#", "Condition", "Pre-test", "Post-test", "Strongest for", "Strongest against")


@dataclass(frozen=True)
class Case:
    """A differential as the page computes it."""

    kb: KnowledgeBase
    findings: dict[str, bool]
    sex: str | None
    age: float | None
    setting: str | None
    ranked: list[Ranked]
    suggestions: list[diagnosis.TestSuggestion]

    def csv(self) -> str:
        """The CSV download."""
        return differential_csv(self.kb, self.ranked, self.findings, sex=self.sex, age=self.age, setting=self.setting)

    def html(self, browser: bool | str | None = None, view_url: str = VIEW_URL) -> str:
        """The HTML handout."""
        return differential_html(
            self.kb,
            self.ranked,
            self.findings,
            sex=self.sex,
            age=self.age,
            setting=self.setting,
            suggestions=self.suggestions,
            view_url=view_url,
            generated=GENERATED,
            browser=browser,
        )

    def pptx(self, browser: bool | str | None = None, view_url: str = VIEW_URL) -> PresentationType:
        """The deck, read back by python-pptx."""
        data = differential_pptx(
            self.kb,
            self.ranked,
            self.findings,
            sex=self.sex,
            age=self.age,
            setting=self.setting,
            suggestions=self.suggestions,
            view_url=view_url,
            generated=GENERATED,
            browser=browser,
        )
        return open_deck(data)


def make_case(
    kb: KnowledgeBase,
    findings: dict[str, bool] | None = None,
    *,
    sex: str | None = "female",
    age: float | None = 45,
    setting: str | None = SETTING,
    pretest: dict[str, float] | None = None,
) -> Case:
    """A case ranked with the setting's pre-test probabilities (or the ones given)."""
    findings = dict(FINDINGS if findings is None else findings)
    pre = pretest if pretest is not None else default_pretest(kb, setting)
    ranked = rank(findings, pretest=pre, sex=sex, age=age, kb=kb)
    suggestions = next_best_tests(findings, pretest=pre, sex=sex, age=age, kb=kb)
    return Case(kb, findings, sex, age, setting, ranked, suggestions)


def csv_blocks(text: str) -> list[list[list[str]]]:
    """The CSV's blocks of rows (separated by empty rows)."""
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text)):
        if not row:
            blocks.append([])
        else:
            blocks[-1].append(row)
    return [b for b in blocks if b]


def block(blocks: list[list[list[str]]], first_header: str) -> list[list[str]]:
    """The block whose header row starts with a given cell."""
    found = [b for b in blocks if b[0][0] == first_header]
    assert len(found) == 1, [b[0] for b in blocks]
    return found[0]


def inject_differential_markup(folder: Path) -> KnowledgeBase:
    """The comparison handout's injections, plus markup in a finding's label and in a red flag's rule-out."""
    inject_markup(folder)
    replace_in(folder / "findings.yaml", "  label: Buttock pain\n", f"  label: '{IMG} {JS_LINK}'\n")
    replace_in(folder / "findings.yaml", "  - name: Septic arthritis of the hip\n", f'  - name: "{SCRIPT}"\n')
    return load_knowledge(folder)


@pytest.fixture(scope="module")
def case(kb: KnowledgeBase) -> Case:
    return make_case(kb)


# ---------------------------------------------------------------- CSV


def test_csv_holds_all_eight_conditions_with_probabilities_summing_to_100(case: Case, kb: KnowledgeBase) -> None:
    table = block(csv_blocks(case.csv()), "Rank")
    header, rows = table[0], table[1:]
    assert header[:6] == [
        "Rank",
        "Condition",
        "Pre-test %",
        "Post-test %",
        "For (finding: likelihood ratio)",
        "Against (finding: likelihood ratio)",
    ]
    assert len(rows) == len(kb.conditions) == 8
    assert [r[1] for r in rows] == [kb.conditions[r.condition].name for r in case.ranked]
    assert [int(r[0]) for r in rows] == list(range(1, 9))
    post = [float(r[3]) for r in rows]
    pre = [float(r[2]) for r in rows]
    assert sum(post) == pytest.approx(100, abs=0.5)
    assert sum(pre) == pytest.approx(100, abs=0.5)
    assert post == sorted(post, reverse=True)
    preset = {p.condition: p.value for p in next(p for p in kb.settings.presets if p.id == SETTING).pretest}
    for row, r in zip(rows, case.ranked, strict=True):
        assert float(row[2]) == pytest.approx(preset[r.condition] * 100 / sum(preset.values()), abs=0.06)
        assert float(row[3]) == pytest.approx(r.probability * 100, abs=0.06)
        # every reason the maths found is listed, each with its weight
        assert row[4].count("×") == len(r.supporting)
        assert row[5].count("×") == len(r.opposing)
    lead = case.ranked[0].supporting[0]
    state = "present" if FINDINGS[lead.finding] else "absent"
    assert rows[0][4].startswith(f"{kb.findings[lead.finding].label} {state}: ×{lead.weight:.2f}")


def test_csv_lists_the_findings_case_red_flags_and_numbered_references(case: Case, kb: KnowledgeBase) -> None:
    text = case.csv()
    blocks = csv_blocks(text)
    entered = block(blocks, "Finding entered")[1:]
    labels = {row[0]: (row[1], row[2]) for row in entered}
    assert len(entered) == len(FINDINGS)
    for fid, present in FINDINGS.items():
        label = kb.findings[fid].label + (" (red flag)" if kb.findings[fid].red_flag else "")
        assert labels[label] == (kb.findings[fid].group.capitalize(), "present" if present else "absent")
    facts = dict(row[:2] for row in block(blocks, "Case")[1:])
    assert facts["Sex"] == "female" and facts["Age"] == "45 years"
    assert facts["Setting"] == "Primary care: buttock and/or leg pain"
    flags = block(blocks, "Do not miss: rule out")[1:]
    assert [row[0] for row in flags] == [item.name for item in kb.findings["red_flag_fever_infection_risk"].rule_out]
    refs = block(blocks, "Reference")[1:]
    assert [row[0] for row in refs] == [f"[{n}]" for n in range(1, len(refs) + 1)]
    used = {int(n) for n in re.findall(r"\[(\d+)\]", "\n".join(",".join(r) for b in blocks if b[0][0] != "Reference" for r in b))}
    assert used == set(range(1, len(refs) + 1))  # every source cited is listed, and every one listed is cited
    assert any("doi:" in row[1] for row in refs)
    assert EDUCATION_NOTICE in text and INDEPENDENCE_STATEMENT in text


def test_csv_neutralises_formula_like_text(data_copy: Path) -> None:
    replace_in(data_copy / "conditions" / "dgs.yaml", "name: Deep gluteal syndrome", 'name: "=HYPERLINK(\\"http://x.example\\",\\"a\\")"')
    replace_in(data_copy / "findings.yaml", "  label: Buttock pain\n", "  label: '@SUM(1+1)'\n")
    replace_in(data_copy / "findings.yaml", "  label: Positive straight leg raise\n", "  label: '-2+3'\n")
    replace_in(data_copy / "findings.yaml", "  - name: Septic arthritis of the hip\n", "  - name: '+cmd|calc'\n")
    replace_in(data_copy / "settings.yaml", "label: 'Primary care: buttock and/or leg pain'", "label: '=1+1'")
    replace_in(data_copy / "references.yaml", "authors: Singer AD, Subhawong TK, Jose J, Tresley J, Clifford PD", "authors: '=2*3'")
    kb = load_knowledge(data_copy)
    text = make_case(kb).csv()
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for cell in cells:
        if cell.startswith(FORMULAS):
            float(cell)  # only numbers may start like a formula
    for raw in ('=HYPERLINK("http://x.example","a")', "@SUM(1+1) present", "@SUM(1+1)", "-2+3", "+cmd|calc", "=1+1"):
        assert any(cell.startswith("'" + raw) for cell in cells), raw
    assert any(cell.startswith("'=2*3") for cell in cells)  # the reference cited for IFI's female share


# ---------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def with_images(case: Case) -> str:
    """The handout made where a browser draws the chart (the test machine has Debian's chromium)."""
    assert chart_export.find_browser() is not None, "Debian's chromium is needed: run the README's test command"
    return case.html()


@pytest.fixture(scope="module")
def with_plotly(case: Case) -> str:
    """The handout made where no browser can draw images."""
    return case.html(browser=False)


@pytest.fixture(params=["images", "plotly"])
def handout(request: pytest.FixtureRequest, with_images: str, with_plotly: str) -> str:
    return with_images if request.param == "images" else with_plotly


def section(page: str, css_class: str) -> str:
    """The HTML of the section with a class."""
    match = re.search(rf'<section[^>]*class="{css_class}"[^>]*>(.*?)</section>', page, flags=re.S)
    assert match, css_class
    return match.group(1)


def test_handout_shows_the_case_entered(handout: str, case: Case, kb: KnowledgeBase) -> None:
    part = section(handout, "case")
    for group in ("History", "Examination", "Imaging"):
        assert f"<h3>{group}</h3>" in part
    items = re.findall(r'<li class="finding" data-state="(present|absent)">(.*?)</li>', part, flags=re.S)
    shown = {re.sub(r"\s*<span.*", "", text).strip(): state for state, text in items}
    assert shown == {escape(kb.findings[f].label): "present" if p else "absent" for f, p in FINDINGS.items()}
    assert "red flag</span>" in part
    assert "<dt>Sex</dt><dd>female</dd>" in part and "<dt>Age</dt><dd>45 years</dd>" in part
    preset = next(p for p in kb.settings.presets if p.id == SETTING)
    assert escape(preset.label) in part and escape(preset.description) in part
    assert "this setting&#39;s estimates" in part


def test_handout_red_flags_table_reasons_suggestions_and_statement(handout: str, case: Case, kb: KnowledgeBase) -> None:
    flags = section(handout, "red-flags")
    for item in kb.findings["red_flag_fever_infection_risk"].rule_out:
        assert f"<strong>{escape(item.name)}</strong>" in flags
    assert 'class="cite" href="#ref-1">[1]</a>' in flags  # the red flags' sources are cited first
    tbody = handout.split('<table class="probabilities">', 1)[1].split("</tbody>", 1)[0]
    order = re.findall(r'<tr data-condition="([a-z_]+)">', tbody)
    assert order == [r.condition for r in case.ranked]
    for r in case.ranked:
        assert f"<strong>{r.probability * 100:.1f}%</strong>" in tbody
    reasons = section(handout, "reasons")
    assert re.findall(r'<div class="reason" data-condition="([a-z_]+)">', reasons) == [r.condition for r in case.ranked[:TOP_REASONS]]
    lead = case.ranked[0]
    assert f"×{lead.supporting[0].weight:.2f}" in reasons and f"×{lead.opposing[0].weight:.2f}" in reasons
    assert "Female sex" in reasons and "Age 45 years" in reasons
    nexts = section(handout, "next-tests")
    for s in case.suggestions:
        assert f"<strong>{escape(kb.findings[s.finding].label)}</strong>" in nexts
    assert f'<p class="independence" role="note">{escape(INDEPENDENCE_STATEMENT)}</p>' in handout
    assert EDUCATION_NOTICE in handout
    assert f'href="{escape(VIEW_URL)}"' in handout and "29 November 2026" in handout
    masthead = handout.split('<header class="masthead">', 1)[1].split("</header>", 1)[0]
    assert "The probabilities are a teaching estimate" in masthead  # the shared masthead, with this handout's notice


def test_handout_numbered_citations_with_doi_links(handout: str) -> None:
    refs = re.findall(r'<li id="ref-(\d+)" value="\d+">(.*?)</li>', handout, flags=re.S)
    assert [int(n) for n, _ in refs] == list(range(1, len(refs) + 1))
    assert len(refs) > 20
    cited = {int(n) for n in re.findall(r'class="cite" href="#ref-(\d+)"', handout)}
    assert cited == set(range(1, len(refs) + 1))
    with_doi = 0
    for _, text in refs:
        doi = re.search(r">doi:(10\.[^<]+)</a>", text)
        if doi:
            with_doi += 1
            assert f'href="{doi_url(unescape(doi.group(1)))}"'.replace("&", "&amp;") in text
    assert with_doi >= 10


def test_images_mode_has_one_svg_and_no_script(with_images: str) -> None:
    assert 'data-chart-mode="images"' in with_images
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', with_images)) == 1
    assert "<script" not in with_images
    assert escape("script-src 'none'") in with_images


def test_plotly_mode_inlines_plotly_js(with_plotly: str) -> None:
    assert 'data-chart-mode="plotly"' in with_plotly
    assert with_plotly.count('class="plotly-chart"') == 1
    assert "<img" not in with_plotly
    assert with_plotly.count("<script>") == 2
    assert len(with_plotly) > 3_000_000


def test_nothing_is_fetched(handout: str) -> None:
    assert fetched_resources(handout) == []
    assert escape("default-src 'none'") in handout
    for href in hrefs(handout):
        assert href.startswith(("#", "https://", "http://")), href


def test_no_red_flags_no_findings_and_hand_set_pretest(kb: KnowledgeBase) -> None:
    empty = make_case(kb, {}, sex=None, age=None, setting=None)
    page = empty.html(browser=False)
    assert 'class="red-flags"' not in page
    assert "No findings entered" in page
    assert "<dt>Sex</dt><dd>not given</dd>" in page and "equal for all eight conditions" in page
    assert page.count("<strong>12.5%</strong>") == 8
    pretest = {c: 1.0 for c in kb.conditions} | {"hip_oa": 3.0}
    adjusted = make_case(kb, {"groin_pain": True}, setting=SETTING, pretest=pretest).html(browser=False)
    assert "set by hand" in adjusted


def test_the_chart_ignores_a_default_template_set_by_the_app(case: Case) -> None:
    """Inside Streamlit the default template has placeholder colours and no automargin; the file's chart must not inherit them."""
    leaky = go.layout.Template(layout={"colorway": ["#000001", "#000002"], "xaxis": {"automargin": False}, "yaxis": {"automargin": False}})
    pio.templates["leaky"] = leaky
    before = pio.templates.default
    pio.templates.default = "leaky"
    try:
        assert go.Figure().layout.template.layout.colorway == ("#000001", "#000002")  # the leak the chart must resist
        page = case.html(browser=False)
    finally:
        pio.templates.default = before
    assert "#000001" not in page
    spec = json.loads(re.search(r"var specs=(\[.*?\]);var config=", page, flags=re.S).group(1))  # type: ignore[union-attr]
    layout = spec[0]["figure"]["layout"]
    assert layout["xaxis"]["automargin"] is True and layout["yaxis"]["automargin"] is True
    assert layout["template"]["layout"]["colorway"] != ["#000001", "#000002"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x"])
def test_unsafe_view_url_is_text_not_a_link(case: Case, url: str) -> None:
    page = case.html(browser=False, view_url=url)
    assert escape(url) in page
    assert all(not h.startswith(("javascript", "data", "//")) for h in hrefs(page))
    outside = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "<script>alert(1)" not in outside


def test_markup_in_the_knowledge_base_appears_as_text(data_copy: Path) -> None:
    kb = inject_differential_markup(data_copy)
    case = make_case(kb)
    for browser in (True, False):
        page = case.html(browser=browser, view_url=JS_LINK)
        assert escape(SCRIPT) in page  # DGS's name, a rule-out's name, a reference's title
        assert escape(IMG) in page  # DGS's short name, a finding's label
        outside = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
        assert "<script>alert" not in outside and "<img src=x" not in outside
        assert "onerror=alert" not in outside.replace(escape(IMG), "")
        assert all(not h.lower().startswith("javascript") for h in hrefs(page))
        assert fetched_resources(page) == []
        if browser is False:
            assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # the chart's data, JSON-escaped


# ---------------------------------------------------------------- PowerPoint


@pytest.fixture(scope="module")
def deck(case: Case) -> PresentationType:
    """The deck made where Debian's chromium draws the chart."""
    assert chart_export.find_browser() is not None, "Debian's chromium is needed: run the README's test command"
    return case.pptx()


@pytest.fixture(scope="module")
def deck_without_browser(case: Case) -> PresentationType:
    """The deck made where no browser can draw the chart."""
    return case.pptx(browser=False)


@pytest.fixture(params=["browser", "no browser"])
def any_deck(request: pytest.FixtureRequest, deck: PresentationType, deck_without_browser: PresentationType) -> PresentationType:
    return deck if request.param == "browser" else deck_without_browser


def test_deck_title_slide_holds_the_case(any_deck: PresentationType, kb: KnowledgeBase) -> None:
    first = any_deck.slides[0]
    assert title_of(first) == "Differential for a case: female, 45 years"
    text = slide_text(first)
    for fid in FINDINGS:
        assert kb.findings[fid].label in text
    assert "Primary care: buttock and/or leg pain" in text
    assert "29 November 2026" in text and EDUCATION_NOTICE in text
    assert VIEW_URL in link_addresses(first)
    assert any_deck.core_properties.title == title_of(first)


def test_deck_table_red_flags_reasons_suggestions_method_and_references(any_deck: PresentationType, case: Case, kb: KnowledgeBase) -> None:
    found = tables(any_deck)
    assert found
    rows: list[list[str]] = []
    for slide, table in found:
        assert [c.text_frame.text for c in table.rows[0].cells] == [*HEADER]
        assert title_of(slide).startswith("Ranked differential")
        rows.extend([c.text_frame.text for c in row.cells] for row in list(table.rows)[1:])
    assert [r[1] for r in rows] == [kb.conditions[r.condition].name for r in case.ranked]
    assert [r[3] for r in rows] == [f"{r.probability * 100:.1f}%" for r in case.ranked]
    titles = [title_of(s) for s in any_deck.slides]
    flags = next(s for s in any_deck.slides if title_of(s) == "Do not miss: rule out first")
    for item in kb.findings["red_flag_fever_infection_risk"].rule_out:
        assert item.name in slide_text(flags)
    lead = kb.conditions[case.ranked[0].condition].short_name
    assert any(t.startswith(f"Why {lead}:") for t in titles)
    tests = next(s for s in any_deck.slides if title_of(s) == "Test next")
    assert kb.findings[case.suggestions[0].finding].label in slide_text(tests)
    method = next(s for s in any_deck.slides if title_of(s) == "How these numbers are worked out")
    assert INDEPENDENCE_STATEMENT in slide_text(method)
    ref_slides = [s for s in any_deck.slides if title_of(s).startswith("References")]
    assert ref_slides and ref_slides[-1] == any_deck.slides[-1]
    refs_text = "\n".join(slide_text(s) for s in ref_slides)
    assert "[1] " in refs_text and "doi:10." in refs_text
    assert any(a.startswith("https://doi.org/") for s in ref_slides for a in link_addresses(s))
    numbers = [int(n) for n in re.findall(r"^\[(\d+)\] ", refs_text, flags=re.M)]
    assert numbers == list(range(1, len(numbers) + 1))
    body = "\n".join(slide_text(s) for s in any_deck.slides if s not in ref_slides)
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body)} == set(numbers)  # every source listed is cited


def test_deck_picture_when_a_browser_draws(deck: PresentationType) -> None:
    found = pictures(deck)
    assert len(found) == 1
    assert found[0].image.blob.startswith(b"\x89PNG")
    assert found[0].left >= 0 and found[0].left + found[0].width <= deck.slide_width
    assert FALLBACK_TITLE not in [title_of(s) for s in deck.slides]


def test_deck_fallback_slide_without_browser(deck_without_browser: PresentationType) -> None:
    assert pictures(deck_without_browser) == []
    fallback = [s for s in deck_without_browser.slides if title_of(s) == FALLBACK_TITLE]
    assert len(fallback) == 1
    assert "No browser was available" in slide_text(fallback[0]) and VIEW_URL in slide_text(fallback[0])


def test_deck_type_is_large_enough(any_deck: PresentationType) -> None:
    for slide in any_deck.slides:
        title_runs = [r.font.size for p in slide.shapes.title.text_frame.paragraphs for r in p.runs] if slide.shapes.title else []
        assert title_runs and all(size is not None and size >= Pt(28) for size in title_runs)
        for text, size in runs(slide):
            assert size is not None, text
            if text.startswith(EDUCATION_NOTICE) and size == Pt(12):
                continue  # the footer line
            assert size >= Pt(14), (title_of(slide), text)


def test_deck_without_findings_or_flags(kb: KnowledgeBase) -> None:
    deck = make_case(kb, {}, sex=None, age=None, setting=None).pptx(browser=False)
    titles = [title_of(s) for s in deck.slides]
    assert titles[0] == "Differential for a case"
    assert "Do not miss: rule out first" not in titles
    assert "none entered" in slide_text(deck.slides[0])
    assert sum(len(t.rows) - 1 for _, t in tables(deck)) == 8


def test_deck_keeps_markup_as_text(data_copy: Path) -> None:
    kb = inject_differential_markup(data_copy)
    deck = make_case(kb).pptx(browser=False, view_url=JS_LINK)
    text = "\n".join(slide_text(s) for s in deck.slides)
    assert SCRIPT in text and IMG in text
    assert all("javascript" not in a for s in deck.slides for a in link_addresses(s))


def test_filenames() -> None:
    assert differential_filename(GENERATED) == "hiplens-differential-2026-11-29.html"
    assert differential_filename(GENERATED, "pptx") == "hiplens-differential-2026-11-29.pptx"
    assert differential_filename(GENERATED, "csv") == "hiplens-differential-2026-11-29.csv"
