"""Every class of bad content gives one clear line (file, row or key, field, problem) and no traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT


def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run the check command on a folder."""
    return subprocess.run(
        [sys.executable, "-m", "components.knowledge", "check", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def edit_yaml(path: Path, change: Callable[[object], object]) -> None:
    """Load a YAML file, change it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(change(data), sort_keys=False, allow_unicode=True), encoding="utf-8")


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a file, failing loudly when the text is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_real_data_is_clean() -> None:
    result = run_check(ROOT / "data")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok:" in result.stdout


def _first_feature_line(folder: Path) -> str:
    return (folder / "feature_values.csv").read_text(encoding="utf-8").splitlines()[1]


CASES: list[tuple[str, Callable[[Path], None], str]] = [
    (
        "malformed yaml",
        lambda d: (d / "features.yaml").write_text("- id: female_pct\n  label: [unclosed\n", encoding="utf-8"),
        "features.yaml: line 3, column 1: -: malformed YAML",
    ),
    (
        "malformed csv",
        lambda d: (d / "tests.csv").write_text((d / "tests.csv").read_text(encoding="utf-8") + 'broken,"unterminated\n', encoding="utf-8"),
        "tests.csv: line",
    ),
    (
        "csv row with wrong number of fields",
        lambda d: (d / "feature_values.csv").write_text(
            (d / "feature_values.csv").read_text(encoding="utf-8") + "ifi,female_pct,50\n", encoding="utf-8"
        ),
        "fields, header has 13",
    ),
    (
        "missing required field",
        lambda d: edit_yaml(
            d / "references.yaml",
            lambda data: [{k: v for k, v in r.items() if k != "title" or r["id"] != "singer_nd_ifi_meta"} for r in data],
        ),
        "references.yaml: id=singer_nd_ifi_meta: title: required field is missing",
    ),
    (
        "wrong type",
        lambda d: edit_yaml(
            d / "references.yaml", lambda data: [{**r, "year": "last spring"} if r["id"] == "singer_nd_ifi_meta" else r for r in data]
        ),
        "references.yaml: id=singer_nd_ifi_meta: year: Input should be a valid integer",
    ),
    (
        "unknown reference id",
        lambda d: edit_yaml(d / "conditions" / "ifi.yaml", lambda c: {**c, "summary_refs": ["no_such_reference_2099", *c["summary_refs"]]}),
        "conditions/ifi.yaml: id=ifi: summary_refs: unknown reference id 'no_such_reference_2099'",
    ),
    (
        "unknown condition id",
        lambda d: (d / "feature_values.csv").write_text(
            (d / "feature_values.csv").read_text(encoding="utf-8")
            + "knee_pain,female_pct,50,,,%,,reported,hips_course_notes,,somewhere,,\n",
            encoding="utf-8",
        ),
        "(knee_pain/female_pct): condition: unknown condition id 'knee_pain'",
    ),
    (
        "duplicate id",
        lambda d: edit_yaml(d / "features.yaml", lambda data: [*data, data[0]]),
        "features.yaml: id=female_pct: id: duplicate id 'female_pct'",
    ),
    (
        "number out of range",
        lambda d: replace_in(d / "settings.yaml", "typical: 0.85", "typical: 1.5"),
        "settings.yaml: file: frequency_bands.typical: Input should be less than 1",
    ),
    (
        "proportion out of range in features",
        lambda d: (d / "feature_values.csv").write_text(
            (d / "feature_values.csv").read_text(encoding="utf-8") + "ifi,female_pct,140,,,%,,reported,hips_course_notes,,somewhere,,\n",
            encoding="utf-8",
        ),
        "(ifi/female_pct): value: a proportion must lie between 0 and 100 (percent)",
    ),
    (
        "low above high",
        lambda d: (d / "feature_values.csv").write_text(
            (d / "feature_values.csv").read_text(encoding="utf-8")
            + "ifi,age_years,,60,40,years,,reported,hips_course_notes,,somewhere,,\n",
            encoding="utf-8",
        ),
        "(ifi/age_years): -: low 60 is above high 40",
    ),
    ("empty file", lambda d: (d / "findings.yaml").write_text("", encoding="utf-8"), "findings.yaml: file: -: file is empty"),
    (
        "not utf-8",
        lambda d: (d / "overview.yaml").write_bytes((d / "overview.yaml").read_bytes() + b"\n# caf\xe9\n"),
        "overview.yaml: byte",
    ),
    ("missing file", lambda d: (d / "tests.csv").unlink(), "tests.csv: file: -: file is missing"),
    (
        "missing condition section",
        lambda d: edit_yaml(
            d / "conditions" / "dgs.yaml",
            lambda data: {**data, "sections": {k: v for k, v in data["sections"].items() if k != "prognosis"}},
        ),
        "conditions/dgs.yaml: id=dgs: sections.prognosis: required field is missing",
    ),
    (
        "unknown evidence fact",
        lambda d: replace_in(
            d / "feature_values.csv", "singer_nd_ifi_meta,ifi_epi_female_share_meta", "singer_nd_ifi_meta,ifi_no_such_fact"
        ),
        "fact: unknown evidence fact id 'ifi_no_such_fact'",
    ),
    (
        "number that does not match its fact",
        lambda d: replace_in(d / "feature_values.csv", "ifi,female_pct,86.4,", "ifi,female_pct,68.4,"),
        "number 68.4 does not match evidence fact ifi_epi_female_share_meta",
    ),
    (
        "likelihood ratio that disagrees with sensitivity and specificity",
        lambda d: replace_in(d / "tests.csv", "0.52,0.9,5.22,", "0.52,0.9,30.5,"),
        "lr_pos 30.5 disagrees with sensitivity 0.52 and specificity 0.9",
    ),
    (
        "sensitivity out of range",
        lambda d: replace_in(d / "tests.csv", "0.52,0.9,5.22,", "1.52,0.9,5.22,"),
        "sensitivity: Input should be less than or equal to 1",
    ),
]


@pytest.mark.parametrize(("label", "breaker", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_copy_gives_one_clear_line(data_copy: Path, label: str, breaker: Callable[[Path], None], expected: str) -> None:
    breaker(data_copy)
    result = run_check(data_copy)
    assert result.returncode == 1, f"{label}: expected exit 1\n{result.stdout}{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(expected in line for line in lines), f"{label}: no line contains {expected!r}:\n{result.stdout}"
    for line in lines:
        assert line.count(": ") >= 3, f"not file: location: field: message -> {line!r}"


def test_missing_folder() -> None:
    result = run_check(ROOT / "no-such-folder")
    assert result.returncode == 1
    assert "data folder is missing" in result.stdout
    assert "Traceback" not in result.stderr
