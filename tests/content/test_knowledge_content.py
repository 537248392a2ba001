"""The content holds what the issues ask: every number sourced, every condition complete, the course notes beside the evidence."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from dataclasses import FrozenInstanceError

import jsonschema
import pytest

from components.knowledge.export import export_dict, export_schema_json, export_tables
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import CONDITION_IDS, SECTION_KEYS
from tests.conftest import ROOT

REQUIRED_FINDINGS = """buttock_pain groin_pain lateral_hip_pain low_back_pain radiation_posterior_thigh
radiation_below_knee numbness_or_tingling weakness worse_sitting worse_long_strides_or_walking worse_hip_extension
worse_crossing_legs worse_flexion_adduction_internal_rotation night_pain bilateral prior_hip_surgery positive_slr
positive_fadir positive_fair_or_piriformis_test positive_long_stride_walking_test positive_ischiofemoral_impingement_test
normal_lumbar_imaging narrowed_ischiofemoral_space_on_mri quadratus_femoris_edema disc_herniation_on_mri
mechanical_symptoms_clicking_locking reduced_internal_rotation tenderness_greater_trochanter""".split()
REQUIRED_FEATURES = """female_pct age_years bilateral_pct share_of_symptom_population pain_location radiation neuro_symptoms
worse_sitting worse_long_strides worse_hip_extension worse_fadir worse_bending imaging_finding first_line_treatment
conservative_outcome""".split()


def test_all_eight_conditions_with_every_section(kb: KnowledgeBase) -> None:
    assert list(kb.conditions) == list(CONDITION_IDS)
    for cond in kb.conditions.values():
        for key in SECTION_KEYS:
            assert getattr(cond.sections, key), (cond.id, key)
        assert cond.reviewed
        assert cond.summary.count(".") >= 2, cond.id  # two sentences


def test_every_feature_for_every_condition(kb: KnowledgeBase) -> None:
    for cid in CONDITION_IDS:
        for fid in REQUIRED_FEATURES:
            assert kb.values_for(cid, fid), (cid, fid)


def test_every_number_has_a_reference_that_resolves(kb: KnowledgeBase) -> None:
    for fv in kb.feature_values:
        if fv.numbers:
            assert fv.ref in kb.references, fv
            assert fv.fact or fv.locator, fv
    for finding in kb.findings.values():
        for row in finding.frequency:
            assert row.refs and all(r in kb.references for r in row.refs), (finding.id, row)
    for test in kb.tests.values():
        assert test.ref in kb.references
        assert all(r in kb.references for r in test.procedure_refs)
    for row in kb.overview.rom:
        assert row.ref in kb.references
    for preset in kb.settings.presets:
        for share in preset.pretest:
            assert share.refs and all(r in kb.references for r in share.refs)


def test_numbers_match_their_evidence_facts(kb: KnowledgeBase) -> None:
    """A number that names its evidence fact equals that fact's value, low or high (the loader checks it too)."""
    checked = 0
    for fv in kb.feature_values:
        if fv.fact and fv.numbers:
            fact = kb.evidence[fv.fact]
            theirs = [x for x in (fact.value, fact.low, fact.high) if x is not None]
            for n in fv.numbers:
                assert any(abs(n - t) < 0.06 or abs(n * 100 - t) < 0.6 or abs(n / 100 - t) < 0.006 for t in theirs), (fv, fact)
                checked += 1
    assert checked > 50


def test_findings_vocabulary_complete(kb: KnowledgeBase) -> None:
    for fid in REQUIRED_FINDINGS:
        assert fid in kb.findings, fid
        assert {row.condition for row in kb.findings[fid].frequency} == set(CONDITION_IDS), fid
    assert kb.findings["positive_ischiofemoral_impingement_test"].accuracy_note
    assert "electrodiagnostic" in (kb.findings["positive_fair_or_piriformis_test"].accuracy_note or "").lower()


def test_bands_map_to_numbers_strictly_inside_zero_one(kb: KnowledgeBase) -> None:
    values = list(kb.settings.frequency_bands.values())
    assert all(0 < v < 1 for v in values)


def test_diagnostic_tests_cover_the_evidence(kb: KnowledgeBase) -> None:
    with (ROOT / "data" / "evidence" / "diagnostic_tests.csv").open(newline="", encoding="utf-8") as handle:
        evidence_ids = {row["test_id"] for row in csv.DictReader(handle)}
    kept = {t.evidence_id for t in kb.tests.values()}
    left_out = {e.evidence_id for e in kb.excluded_tests}
    assert len(kept) >= 30
    assert kept | left_out == evidence_ids
    assert not kept & left_out


def test_caveats_of_the_evidence_readme(kb: KnowledgeBase) -> None:
    assert "single" in (kb.tests["ifi_long_stride_walking"].caveat or "").lower()
    assert "electrodiagnostic" in (kb.tests["dgs_fair_hreflex"].caveat or "").lower()
    spst = kb.tests["dgs_seated_piriformis_stretch"]
    assert (spst.sensitivity, spst.specificity) == (0.52, 0.9)


def test_course_notes_beside_the_evidence(kb: KnowledgeBase) -> None:
    ifi_notes = " ".join(n.course_says + " " + n.evidence_says for n in kb.conditions["ifi"].course_notes)
    assert "40%" in ifi_notes
    bilateral = next(n for n in kb.conditions["ifi"].course_notes if "40" in n.course_says)
    assert bilateral.verdict in ("conflicts", "partly_supported", "not_found")
    crossing = [n for n in kb.conditions["dgs"].course_notes if "cross" in n.course_says.lower()]
    assert crossing and crossing[0].verdict == "not_found"
    lumbar = [n for n in kb.conditions["dgs"].course_notes if "imaging" in (n.course_says + n.topic).lower()]
    assert lumbar
    assert kb.overview.course_notes
    # the course's unsupported figure never stands as evidence
    course_rows = [fv for fv in kb.feature_values if fv.ref == "hips_course_notes"]
    assert course_rows and all(fv.basis == "course" for fv in course_rows)
    assert all(fv.basis != "course" or fv.ref == "hips_course_notes" for fv in kb.feature_values)


def test_no_unverified_reference_is_cited(kb: KnowledgeBase) -> None:
    assert "angliangp_nd_dgs" not in kb.references


def test_knowledge_base_is_immutable(kb: KnowledgeBase) -> None:
    with pytest.raises(TypeError):
        kb.conditions["ifi"] = kb.conditions["dgs"]  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        kb.feature_values = ()  # type: ignore[misc]
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError for frozen models
        kb.conditions["ifi"].name = "x"  # type: ignore[misc]


def test_export_has_every_table_with_ids(kb: KnowledgeBase) -> None:
    data = export_dict(kb)
    assert data["schema_version"]
    for key in ("conditions", "features", "findings", "tests", "references", "cases"):
        assert isinstance(data[key], list) and data[key], key
    for key in ("conditions", "findings", "tests", "references", "cases"):
        assert all("id" in rec for rec in data[key]), key
    assert all("condition" in rec and "feature" in rec for rec in data["features"])
    assert {c["id"] for c in data["conditions"]} == set(CONDITION_IDS)
    case = data["cases"][0]
    assert {"id", "final_diagnosis", "findings", "references"} <= set(case)


def test_export_matches_its_committed_schema(kb: KnowledgeBase) -> None:
    committed = (ROOT / "data" / "export.schema.json").read_text(encoding="utf-8")
    assert committed == export_schema_json(), "run: python -m components.knowledge schema > data/export.schema.json"
    jsonschema.validate(export_dict(kb), json.loads(committed))


def test_export_command_line_json_and_csv(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run([sys.executable, "-m", "components.knowledge", "export"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["schema_version"]
    target = tmp_path / "kb.zip"
    out = subprocess.run(
        [sys.executable, "-m", "components.knowledge", "export", "--format", "csv", "--out", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    import zipfile

    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
    assert {"conditions.csv", "features.csv", "findings.csv", "tests.csv", "references.csv", "cases.csv"} <= names


def test_csv_tables_neutralise_formulas(kb: KnowledgeBase) -> None:
    tables = export_tables(kb)
    for name, text in tables.items():
        for row in csv.reader(text.splitlines()):
            for cell in row:
                if cell[:1] in ("=", "+", "@"):
                    pytest.fail(f"{name}: formula-like cell {cell[:30]!r}")


def test_every_reference_is_used(kb: KnowledgeBase) -> None:
    data = json.dumps({k: v for k, v in export_dict(kb).items() if k != "references"})
    unused = [r for r in kb.references if f'"{r}"' not in data]
    assert not unused, unused
