"""Comparison tables and chart builders from the real knowledge base."""

from __future__ import annotations

import csv
import io
import itertools

from components.charts import (
    LECTURE,
    NORMAL,
    aggravating_heatmap,
    differential_chart,
    fagan_chart,
    feature_range_chart,
    pain_location_chart,
    rom_chart,
)
from components.compare import BAND_LABELS, NOT_REPORTED, build_comparison, cell_text, comparison_csv, detail_rows, discrimination
from components.diagnosis import rank
from components.explorer import key_figure, provoking
from components.knowledge.loader import KnowledgeBase
from components.palette import CONDITION_COLOURS, OKABE_ITO, OUTLINE
from components.safety import csv_safe, md_escape
from components.sources import reference_table, references_by_condition

KEY3 = ["ifi", "dgs", "lumbar_sciatica"]


def test_comparison_cells_sourced_conflicts_and_gaps(kb: KnowledgeBase) -> None:
    comp = build_comparison(kb, KEY3)
    assert [r.feature.id for r in comp.rows] == list(kb.features)
    female = next(r for r in comp.rows if r.feature.id == "female_pct")
    ifi = female.cells[0]
    assert ifi.conflict and ifi.refs and not ifi.not_reported
    assert "%" in ifi.summary
    bilateral = next(r for r in comp.rows if r.feature.id == "bilateral_pct")
    assert bilateral.cells[1].not_reported  # DGS: no source reports it
    assert "course notes" in (bilateral.cells[0].course or "")
    assert "[" in cell_text(ifi, comp)
    assert comp.citations and all(r in kb.references for r in comp.citations)


def test_highlighted_features_are_the_best_separators(kb: KnowledgeBase) -> None:
    comp = build_comparison(kb, KEY3)
    highlighted = [r for r in comp.rows if r.highlighted]
    assert 1 <= len(highlighted) <= 3
    others = [r.score for r in comp.rows if not r.highlighted and r.score is not None]
    assert min(r.score or 0 for r in highlighted) >= max(others, default=0)


def test_discrimination_of_identical_conditions_is_zero(kb: KnowledgeBase) -> None:
    assert discrimination(kb, kb.features["female_pct"], ["ifi", "ifi"]) == 0


def test_changing_conditions_and_features_changes_table(kb: KnowledgeBase) -> None:
    comp = build_comparison(kb, ["fai", "hip_oa"], ["female_pct", "age_years"])
    assert comp.conditions == ("fai", "hip_oa")
    assert [r.feature.id for r in comp.rows] == ["female_pct", "age_years"]


def test_comparison_csv_has_every_condition_and_references(kb: KnowledgeBase) -> None:
    comp = build_comparison(kb, KEY3)
    rows = list(csv.reader(io.StringIO(comparison_csv(kb, comp))))
    assert rows[0][1:4] == [kb.conditions[c].name for c in KEY3]
    assert any(r and r[0] == "[1]" for r in rows)
    assert any("not reported" in cell for r in rows for cell in r)
    assert detail_rows(kb, comp)


def test_safety_helpers() -> None:
    assert csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_safe("+1 (evil)") == "'+1 (evil)"
    assert csv_safe("-12.5") == "-12.5" and csv_safe("@x") == "'@x" and csv_safe("plain") == "plain"
    escaped = md_escape("<script>[x](javascript:y) :red[z]")
    assert "<" not in escaped.replace("\\<", "") and "\\[" in escaped and "\\:" in escaped


def test_palette_is_okabe_ito_and_fixed_per_condition(kb: KnowledgeBase) -> None:
    assert set(CONDITION_COLOURS) == set(kb.conditions)
    assert set(CONDITION_COLOURS.values()) <= set(OKABE_ITO)
    fig = feature_range_chart(kb, "female_pct", ["dgs", "ifi"]).figure
    colours = {t.marker.color for t in fig.data if t.mode == "markers"}
    assert CONDITION_COLOURS["ifi"] in colours and CONDITION_COLOURS["dgs"] in colours


def test_bilateral_chart_shows_course_claim_against_sources(kb: KnowledgeBase) -> None:
    chart = feature_range_chart(kb, "bilateral_pct", KEY3)
    assert "course notes say up to 40%" in chart.summary
    assert "DGS not reported" in chart.summary
    assert any(t.marker.symbol == "diamond-open" for t in chart.figure.data if t.mode and "markers" in t.mode)


def test_every_chart_has_a_summary_and_lecture_sizes(kb: KnowledgeBase) -> None:
    charts = [
        rom_chart(kb),
        feature_range_chart(kb, "age_years", KEY3),
        aggravating_heatmap(kb, KEY3),
        pain_location_chart(kb, KEY3),
        differential_chart(kb, rank({}, kb=kb)),
        fagan_chart(0.3, 5, 0.68, label="t"),
    ]
    for chart in charts:
        assert chart.summary.endswith(".") and len(chart.summary) > 20
    big = aggravating_heatmap(kb, KEY3, LECTURE).figure.layout.font.size
    assert big > aggravating_heatmap(kb, KEY3, NORMAL).figure.layout.font.size


def test_explorer_key_figures_and_provocations(kb: KnowledgeBase) -> None:
    fig = key_figure(kb, "ifi", "female_pct")
    assert fig.sources >= 3 and fig.conflict and fig.value.endswith("%")
    assert key_figure(kb, "dgs", "bilateral_pct").value == NOT_REPORTED
    moves = [p.feature for p in provoking(kb, "ifi")]
    assert "worse_long_strides" in moves and "worse_hip_extension" in moves


def test_sources_by_condition(kb: KnowledgeBase) -> None:
    by = references_by_condition(kb)
    assert "ifi" in by["singer_nd_ifi_meta"]
    table = reference_table(kb, ["ifi"])
    assert "singer_nd_ifi_meta" in set(table["id"])
    assert len(reference_table(kb)) == len(kb.references)


def test_sources_summary_names_every_design_with_its_count(kb: KnowledgeBase) -> None:
    from components.sources import strength_counts, strength_summary

    for conditions in ([], ["ifi"], ["lumbar_sciatica", "dgs"]):
        counts = strength_counts(reference_table(kb, conditions))
        line = strength_summary(counts)
        assert line.startswith(f"**{sum(counts.values())} references**")
        for design, n in counts.items():
            label = design if design == "meta-analysis" else design.replace("-", " ")
            assert f"{label} **{n}**" in line, (design, line)
    assert len(strength_counts(reference_table(kb, []))) > 5  # more designs than the five metrics that were shown
    assert strength_summary({}) == "No references match."


def test_every_reference_has_a_readable_short_label(kb: KnowledgeBase) -> None:
    """Readers see ref.short in charts, tables and handouts: never the internal id, and a cut title says so."""
    for rid, ref in kb.references.items():
        assert rid not in ref.short and "_" not in ref.short, (rid, ref.short)
        if not ref.authors and not ref.journal:
            assert ref.short.split("…")[0].rstrip() in ref.title.replace("[Title not captured] ", ""), (rid, ref.short)
    for ref in kb.references.values():
        if not ref.authors and ref.journal:
            assert ref.short.startswith(ref.journal), (ref.id, ref.short)  # a journal is never cut at its comma
    untitled = kb.references["acemap_2003_hip_rotation_runners"]
    assert untitled.short == "Passive hip rotation range of motion… (2003)"


def test_differential_values_never_read_zero_and_sit_clear_of_bar_and_tick(kb: KnowledgeBase) -> None:
    from components.charts import pct_label

    assert [pct_label(p) for p in (0.0, 0.001, 0.005, 0.006, 0.126, 0.996, 1.0)] == ["<1%", "<1%", "<1%", "1%", "13%", ">99%", "100%"]
    ranked = rank({"buttock_pain": True, "worse_sitting": True}, kb=kb)
    fig = differential_chart(kb, ranked).figure
    bars, ticks, values = fig.data
    assert ticks.marker.color == OUTLINE  # an open symbol is stroked in marker.color: dark, not the colourway's orange
    assert list(values.text) == [pct_label(r.probability) for r in ranked]
    for x, bar, tick in zip(values.x, bars.x, ticks.x, strict=True):
        assert x > bar and x > tick
    assert fig.layout.xaxis.range[1] > max(values.x)


def test_fagan_nomogram_labels_do_not_collide() -> None:
    """On every scale, neighbouring labels are at least 3.5% of the chart's height apart (the LR scale had 2.5%)."""
    from components.charts import fagan_chart

    assert "pre-test <1%" in fagan_chart(0.003, 0.1, 0.0003, label="A test: negative result").summary
    fig = fagan_chart(0.2, 5.0, 0.56, label="A test: positive result").figure
    scales = [t for t in fig.data if t.mode == "markers+text"]
    assert len(scales) == 3
    span = max(max(t.y) for t in scales) - min(min(t.y) for t in scales)
    for scale in scales:
        ys = sorted(scale.y)
        assert min(b - a for a, b in itertools.pairwise(ys)) >= 0.035 * span, scale.text


def test_heatmap_legend_names_every_band_and_range_markers_are_not_clipped(kb: KnowledgeBase) -> None:
    from components.charts import aggravating_heatmap, feature_range_chart, heatmap_legend

    for conditions in (list(kb.conditions), ["fai"], ["lumbar_sciatica"]):
        heat = aggravating_heatmap(kb, conditions).figure.data[0]
        legend = " | ".join(heat.colorbar.ticktext)
        shown = {cell for row in heat.text for cell in row if cell != "n/r" and not cell[0].isdigit()}
        assert all(cell in legend for cell in shown), (shown, legend)  # 'rare' appeared in cells but not in the legend
        assert len(heat.colorbar.ticktext) >= 3  # anchored even when one condition shows few bands
    bands = kb.settings.frequency_bands
    both = heatmap_legend(bands, {"rare", "not expected"})
    assert both[-1] == ("rare / not expected", (bands["rare"] + bands["not_expected"]) / 2)
    assert [label for label, _ in heatmap_legend(bands, set())] == [BAND_LABELS[b] for b in ("typical", "common", "occasional")]
    women = feature_range_chart(kb, "female_pct", list(kb.conditions)).figure
    assert all(t.cliponaxis is False for t in women.data)


def test_key_figure_age_is_not_given_its_unit_twice(kb: KnowledgeBase) -> None:
    age = key_figure(kb, "ifi", "age_years")
    assert "(years)" in age.label and not age.value.endswith("y"), age


def test_reference_table_newest_first_within_a_design_and_entries_lead_with_authors_or_title(kb: KnowledgeBase) -> None:
    from components.knowledge.models import STRENGTH_ORDER
    from components.ui.render import reference_entry

    table = reference_table(kb)
    keys = [(STRENGTH_ORDER.index(d), -(int(y) if y.isdigit() else 0)) for d, y in zip(table["Design"], table["Year"], strict=True)]
    assert keys == sorted(keys)
    assert "id" in table.columns and table.columns[1] == "Citation"
    with_authors = kb.references["filler_2005_nondisc_sciatica"]
    assert reference_entry(with_authors, 1).startswith(f"1. {md_escape(with_authors.authors)} (2005) *")
    untitled = next(r for r in kb.references.values() if not r.authors)
    entry = reference_entry(untitled)
    assert entry.startswith(f"- *{md_escape(untitled.title)}*") and ":gray[(authors not captured)]" in entry


def test_a_tie_at_the_top_is_called_a_tie(kb: KnowledgeBase) -> None:
    from components.charts import tied_leaders

    ranked = rank({"buttock_pain": True, "worse_sitting": True}, kb=kb)
    leaders = tied_leaders(ranked)
    summary = differential_chart(kb, ranked).summary
    if len(leaders) > 1:
        assert summary.startswith("Tied as most probable: ") and "Most probable:" not in summary
        assert all(kb.conditions[r.condition].name in summary.split(";")[0] for r in leaders)
    separated = rank({"buttock_pain": True, "worse_sitting": True, "positive_long_stride_walking_test": True}, kb=kb)
    assert len(tied_leaders(separated)) == 1
    assert differential_chart(kb, separated).summary.startswith(f"Most probable: {kb.conditions[separated[0].condition].name}")
    assert len(leaders) == 2, [(r.condition, r.probability) for r in ranked[:3]]  # DGS and PHT tie on these two findings


def test_first_words_cuts_at_whole_words_and_never_leaves_a_parenthesis_open() -> None:
    from components.knowledge.models import first_words

    assert first_words("Tendinosis (Tendinitis)") == "Tendinosis (Tendinitis)"  # not cut: unchanged
    assert first_words("Hip osteoarthritis: a primer (concise review of the literature)") == "Hip osteoarthritis: a primer…"
    assert first_words("Passive hip rotation range of motion: effects of testing position") == "Passive hip rotation range of motion…"
    assert first_words("arthroscopic or open surgical findings (per review background)", 30) == "arthroscopic or open surgical findings…"
