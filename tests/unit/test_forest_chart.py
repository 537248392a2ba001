"""The likelihood-ratio (forest) chart of the special tests: one readable row per test row."""

from __future__ import annotations

import re

from components.charts import FOREST_WRAP, LECTURE, forest_chart, forest_labels
from components.knowledge.loader import KnowledgeBase


def _plain(label: str) -> str:
    return label.replace("<br>", " ").replace("\u00a0", " ")


def test_every_test_row_has_its_own_label(kb: KnowledgeBase) -> None:
    """Tests that share a name (FADDIR against two reference standards; MRI in two reviews) stay apart."""
    tests = list(kb.tests.values())
    labels = forest_labels(kb, tests)
    assert len(labels) == len(tests) == len(set(labels))
    by_id = dict(zip((t.id for t in tests), labels, strict=True))
    assert "vs MR arthrography" in _plain(by_id["labral_faddir_mra"])
    assert "vs arthroscopy" in _plain(by_id["labral_faddir_arthroscopy"])


def test_labels_wrap_at_whole_words_and_keep_every_number(kb: KnowledgeBase) -> None:
    tests = list(kb.tests.values())
    for test, label in zip(tests, forest_labels(kb, tests), strict=True):
        lines = label.split("<br>")
        assert len(lines) <= 3, label
        assert all(len(line) <= FOREST_WRAP or " " not in line for line in lines), label
        # Numbers are never cut (10.3, not "1"): each one shown is whole in the name or the source's year,
        # and every number of the name is shown but those of a closing explanation in parentheses.
        shown = re.findall(r"\d+(?:\.\d+)?", _plain(label))
        source = test.name + " " + kb.references[test.ref].short
        assert all(re.search(rf"(?<![\d.]){re.escape(n)}(?![\d.])", source) for n in shown), (test.name, label)
        kept = re.sub(r"\s*\([^()]*\)\s*$", "", test.name) if len(test.name) > 40 else test.name
        for number in re.findall(r"\d+(?:\.\d+)?", kept):
            assert number in shown, (test.name, label)
    ifs = dict(zip((t.id for t in tests), forest_labels(kb, tests), strict=True))["ifi_xray_false_profile_ifs"]
    assert "10.3\u00a0mm" in ifs  # the number keeps its unit on one line


def test_chart_has_a_row_per_label_tall_enough_and_full_tick_labels(kb: KnowledgeBase) -> None:
    tests = list(kb.tests.values())
    fig = forest_chart(kb, tests, LECTURE).figure
    assert list(fig.layout.yaxis.categoryarray) == forest_labels(kb, tests)
    lines = max(label.count("<br>") + 1 for label in fig.layout.yaxis.categoryarray)
    assert fig.layout.height >= len(tests) * lines * LECTURE.font_size
    assert fig.layout.xaxis.type == "log"
    assert list(fig.layout.xaxis.ticktext) == [f"{v:g}" for v in fig.layout.xaxis.tickvals]
    assert "0.1" in fig.layout.xaxis.ticktext and "10" in fig.layout.xaxis.ticktext


def test_a_kind_of_test_in_a_long_name_stays_on_the_chart(kb: KnowledgeBase) -> None:
    """The H-reflex FAIR figures are electrodiagnostic, not the bedside manoeuvre: the label keeps saying so."""
    label = _plain(forest_labels(kb, [kb.tests["dgs_fair_hreflex"]])[0])
    assert label == "FAIR test (electrodiagnostic) (DGS)", label


def test_rows_that_share_name_source_and_standard_still_get_their_own_row(kb: KnowledgeBase) -> None:
    base = kb.tests["labral_faddir_mra"]
    twins = [base, base.model_copy(update={"id": "faddir_again"}), kb.tests["labral_faddir_arthroscopy"]]
    labels = forest_labels(kb, twins)
    assert len(set(labels)) == 3, labels
    assert "faddir_again" in _plain(labels[1])
    assert all(label.count("<br>") <= 3 for label in labels)
