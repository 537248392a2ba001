"""Export the knowledge base as JSON (with its JSON Schema) or as a zip of CSV tables."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import (
    SCHEMA_VERSION,
    Case,
    Condition,
    DiagnosticTest,
    ExcludedTest,
    FeatureDef,
    FeatureValue,
    Finding,
    GlossaryTerm,
    Overview,
    Reference,
    Settings,
)
from components.safety import csv_safe


class Export(BaseModel):
    """The open dataset: everything HipLens teaches from."""

    model_config = ConfigDict(title="HipLens knowledge base export")

    schema_version: str
    conditions: list[Condition]
    overview: Overview
    feature_definitions: list[FeatureDef]
    features: list[FeatureValue]
    findings: list[Finding]
    tests: list[DiagnosticTest]
    excluded_tests: list[ExcludedTest]
    cases: list[Case]
    glossary: list[GlossaryTerm]
    references: list[Reference]
    settings: Settings


def build_export(kb: KnowledgeBase) -> Export:
    """The export model of a loaded knowledge base."""
    return Export(
        schema_version=SCHEMA_VERSION,
        conditions=list(kb.conditions.values()),
        overview=kb.overview,
        feature_definitions=list(kb.features.values()),
        features=list(kb.feature_values),
        findings=list(kb.findings.values()),
        tests=list(kb.tests.values()),
        excluded_tests=list(kb.excluded_tests),
        cases=list(kb.cases.values()),
        glossary=list(kb.glossary.values()),
        references=list(kb.references.values()),
        settings=kb.settings,
    )


def export_dict(kb: KnowledgeBase) -> dict[str, Any]:
    """The export as plain JSON-ready data."""
    return build_export(kb).model_dump(mode="json")


def export_json(kb: KnowledgeBase) -> str:
    """The export as a JSON document."""
    return json.dumps(export_dict(kb), indent=2, ensure_ascii=False) + "\n"


def export_schema() -> dict[str, Any]:
    """JSON Schema of the export, generated from the models."""
    return Export.model_json_schema(mode="serialization")


def export_schema_json() -> str:
    """The JSON Schema as text, as committed in data/export.schema.json."""
    return json.dumps(export_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return csv_safe(_join(value))
    if isinstance(value, bool | int | float):
        return value
    return csv_safe(str(value))


def table_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV text of rows, with text cells neutralised against formula injection."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buf.getvalue()


def export_tables(kb: KnowledgeBase) -> dict[str, str]:
    """One CSV text per table of the knowledge base, keyed by file name."""
    data = export_dict(kb)
    tables: dict[str, str] = {}
    conds = [{**c, "sections": None, "course_notes": None} for c in data["conditions"]]
    tables["conditions.csv"] = table_csv(
        conds,
        [
            "id",
            "name",
            "short_name",
            "aliases",
            "category",
            "pain_regions",
            "structures",
            "summary",
            "summary_refs",
            "reviewed",
            "confused_with",
        ],
    )
    statements = []
    for c in data["conditions"]:
        for section, items in c["sections"].items():
            for order, st in enumerate(items, start=1):
                statements.append({"condition": c["id"], "section": section, "order": order, **st})
    tables["statements.csv"] = table_csv(statements, ["condition", "section", "order", "text", "refs", "facts", "basis", "note"])
    notes = [{"scope": c["id"], **n} for c in data["conditions"] for n in c["course_notes"]] + [
        {"scope": "overview", **n} for n in data["overview"]["course_notes"]
    ]
    tables["course_notes.csv"] = table_csv(notes, ["scope", "topic", "course_says", "evidence_says", "verdict", "refs", "facts"])
    tables["range_of_motion.csv"] = table_csv(
        data["overview"]["rom"],
        ["movement", "label", "value", "low", "high", "unit", "position", "basis", "ref", "fact", "locator", "note"],
    )
    tables["feature_definitions.csv"] = table_csv(
        data["feature_definitions"], ["id", "label", "kind", "group", "unit", "description", "chart"]
    )
    tables["features.csv"] = table_csv(data["features"], list(FeatureValue.model_fields))
    tables["findings.csv"] = table_csv(data["findings"], ["id", "label", "group", "description", "red_flag", "tests", "accuracy_note"])
    freq = [{"finding": f["id"], **row} for f in data["findings"] for row in f["frequency"]]
    tables["finding_frequencies.csv"] = table_csv(
        freq, ["finding", "condition", "value", "band", "basis", "refs", "facts", "locator", "note"]
    )
    tables["tests.csv"] = table_csv(data["tests"], list(DiagnosticTest.model_fields))
    tables["cases.csv"] = table_csv(
        [{**c, "findings": _join(f"{k}={'present' if v else 'absent'}" for k, v in c["findings"].items())} for c in data["cases"]],
        ["id", "title", "age", "sex", "final_diagnosis", "findings", "giveaway", "references", "source_locator"],
    )
    tables["glossary.csv"] = table_csv(data["glossary"], list(GlossaryTerm.model_fields))
    tables["references.csv"] = table_csv(data["references"], list(Reference.model_fields))
    return tables


def export_zip(kb: KnowledgeBase) -> bytes:
    """A zip archive with one CSV per table."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in export_tables(kb).items():
            zf.writestr(name, text)
    return buf.getvalue()
