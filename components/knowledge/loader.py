"""Load, validate and cross-check the knowledge base in data/ (pure: no streamlit)."""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from components.knowledge.models import (
    CONDITION_IDS,
    Case,
    Condition,
    DiagnosticTest,
    EvidenceFact,
    ExcludedTest,
    FeatureDef,
    FeatureValue,
    Finding,
    GlossaryTerm,
    Overview,
    Reference,
    Settings,
    Statement,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
M = TypeVar("M", bound=BaseModel)

FEATURE_VALUE_COLUMNS = (
    "condition",
    "feature",
    "value",
    "low",
    "high",
    "unit",
    "text",
    "basis",
    "ref",
    "fact",
    "locator",
    "population",
    "note",
)
TEST_COLUMNS = (
    "id",
    "name",
    "condition",
    "target_as_reported",
    "category",
    "finding",
    "sensitivity",
    "specificity",
    "lr_pos",
    "lr_pos_low",
    "lr_pos_high",
    "lr_neg",
    "lr_neg_low",
    "lr_neg_high",
    "lr_basis",
    "n",
    "reference_standard",
    "ref",
    "procedure",
    "positive_when",
    "procedure_refs",
    "caveat",
    "evidence_id",
)
EXCLUDED_COLUMNS = ("evidence_id", "reason")


@dataclass(frozen=True)
class ContentError:
    """One problem in the content, in words a content editor can act on."""

    file: str
    location: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.field}: {self.message}"


class KnowledgeError(Exception):
    """Raised when the knowledge base does not load; carries every problem found."""

    def __init__(self, errors: Sequence[ContentError]) -> None:
        self.errors = tuple(errors)
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(f"{self.errors[0]}{more}" if self.errors else "knowledge base did not load")


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole validated knowledge base; every collection is read-only."""

    references: Mapping[str, Reference]
    conditions: Mapping[str, Condition]
    overview: Overview
    features: Mapping[str, FeatureDef]
    feature_values: tuple[FeatureValue, ...]
    findings: Mapping[str, Finding]
    tests: Mapping[str, DiagnosticTest]
    excluded_tests: tuple[ExcludedTest, ...]
    settings: Settings
    cases: Mapping[str, Case]
    evidence: Mapping[str, EvidenceFact] = field(repr=False)
    glossary: Mapping[str, GlossaryTerm] = field(default_factory=dict)

    def values_for(self, condition: str, feature: str) -> tuple[FeatureValue, ...]:
        """All rows for one (condition, feature), in file order: several rows mean sources differ."""
        return self._value_index.get((condition, feature), ())

    @functools.cached_property
    def _value_index(self) -> Mapping[tuple[str, str], tuple[FeatureValue, ...]]:
        index: dict[tuple[str, str], list[FeatureValue]] = {}
        for v in self.feature_values:
            index.setdefault((v.condition, v.feature), []).append(v)
        return MappingProxyType({key: tuple(rows) for key, rows in index.items()})

    def tests_for(self, condition: str) -> tuple[DiagnosticTest, ...]:
        """Diagnostic-test rows whose target is the condition."""
        return tuple(t for t in self.tests.values() if t.condition == condition)

    def band_value(self, band: str) -> float:
        """The probability a frequency band stands for."""
        return float(self.settings.frequency_bands[band])  # type: ignore[index]


# --------------------------------------------------------------------------- reading files


class _FileProblem(Exception):
    def __init__(self, error: ContentError) -> None:
        super().__init__(str(error))
        self.error = error


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_text(path: Path, name: str) -> str:
    if not path.exists():
        raise _FileProblem(ContentError(name, "file", "-", "file is missing"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _FileProblem(ContentError(name, f"byte {exc.start}", "-", f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})")) from None
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        raise _FileProblem(ContentError(name, "file", "-", "file is empty"))
    return text.lstrip("\ufeff")


def _read_yaml(path: Path, name: str) -> Any:
    text = _read_text(path, name)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _FileProblem(ContentError(name, where, "-", f"malformed YAML: {problem}")) from None


def _read_csv(path: Path, name: str, columns: Sequence[str]) -> list[tuple[int, dict[str, Any]]]:
    text = _read_text(path, name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise _FileProblem(ContentError(name, f"line {reader.line_num}", "-", f"malformed CSV: {exc}")) from None
    header = [h.strip() for h in rows[0]]
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        detail = "; ".join(
            part
            for part in (
                f"missing columns {missing}" if missing else "",
                f"unknown columns {unknown}" if unknown else "",
            )
            if part
        )
        raise _FileProblem(ContentError(name, "line 1", "header", detail))
    out: list[tuple[int, dict[str, Any]]] = []
    line = 1
    for row in rows[1:]:
        line += 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise _FileProblem(ContentError(name, f"line {line}", "-", f"malformed CSV: {len(row)} fields, header has {len(header)}"))
        out.append((line, {h: (cell.strip() or None) for h, cell in zip(header, row, strict=True)}))
    return out


def _pydantic_errors(exc: ValidationError, name: str, location: str) -> list[ContentError]:
    errors = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "-"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required field is missing"
        elif "input" in err and err["type"] not in ("missing", "extra_forbidden") and not isinstance(err["input"], (dict, list)):
            shown = repr(err["input"])
            msg = f"{msg} (got {shown[:60]})"
        errors.append(ContentError(name, location, loc, msg))
    return errors


def _build(model: type[M], data: Any, name: str, location: str, errors: list[ContentError]) -> M | None:
    if not isinstance(data, Mapping):
        errors.append(ContentError(name, location, "-", f"expected a mapping of fields, got {type(data).__name__}"))
        return None
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        errors.extend(_pydantic_errors(exc, name, location))
        return None


def _record_location(item: Any, index: int) -> str:
    if isinstance(item, Mapping) and isinstance(item.get("id"), str):
        return f"id={item['id']}"
    return f"item {index}"


def _load_list(path: Path, root: Path, model: type[M], errors: list[ContentError], *, key: str = "id") -> list[M]:
    name = _rel(path, root)
    try:
        data = _read_yaml(path, name)
    except _FileProblem as exc:
        errors.append(exc.error)
        return []
    if not isinstance(data, list):
        errors.append(ContentError(name, "file", "-", f"expected a list of records, got {type(data).__name__}"))
        return []
    out = []
    for index, item in enumerate(data, start=1):
        built = _build(model, item, name, _record_location(item, index), errors)
        if built is not None:
            out.append(built)
    return out


def _load_csv(
    path: Path, root: Path, model: type[M], columns: Sequence[str], errors: list[ContentError], label: Callable[[dict[str, Any]], str]
) -> list[tuple[int, M]]:
    name = _rel(path, root)
    try:
        rows = _read_csv(path, name, columns)
    except _FileProblem as exc:
        errors.append(exc.error)
        return []
    out = []
    for line, row in rows:
        built = _build(model, row, name, f"line {line} ({label(row)})", errors)
        if built is not None:
            out.append((line, built))
    return out


def _unique(records: Iterable[tuple[str, str]], name: str, errors: list[ContentError]) -> None:
    seen: set[str] = set()
    for record_id, location in records:
        if record_id in seen:
            errors.append(ContentError(name, location, "id", f"duplicate id '{record_id}'"))
        seen.add(record_id)


# --------------------------------------------------------------------------- cross-checks


def _numbers_match(ours: float, fact: EvidenceFact) -> bool:
    """True when our number is the fact's value, low or high (allowing % <-> proportion)."""
    for theirs in (fact.value, fact.low, fact.high):
        if theirs is None:
            continue
        for scale in (1.0, 100.0, 0.01):
            if math.isclose(ours * scale, theirs, rel_tol=0.005, abs_tol=0.051 if scale == 1.0 else 0.0051):
                return True
    return False


@dataclass
class _Checker:
    references: Mapping[str, Reference]
    evidence: Mapping[str, EvidenceFact]
    errors: list[ContentError]

    def refs(self, ids: Iterable[str | None], name: str, location: str, fld: str) -> None:
        for ref in ids:
            if ref is not None and ref not in self.references:
                self.errors.append(ContentError(name, location, fld, f"unknown reference id '{ref}'"))

    def facts(self, ids: Iterable[str | None], name: str, location: str, fld: str, numbers: Sequence[float] = ()) -> None:
        resolved = []
        for fid in ids:
            if fid is None:
                continue
            fact = self.evidence.get(fid)
            if fact is None:
                self.errors.append(ContentError(name, location, fld, f"unknown evidence fact id '{fid}'"))
            else:
                resolved.append(fact)
        if resolved:
            for number in numbers:
                if not any(_numbers_match(number, f) for f in resolved):
                    cited = ", ".join(f.id for f in resolved)
                    self.errors.append(ContentError(name, location, fld, f"number {number:g} does not match evidence fact {cited}"))

    def statements(self, items: Iterable[Statement], name: str, location: str) -> None:
        for i, st in enumerate(items, start=1):
            self.refs(st.refs, name, f"{location}[{i}]", "refs")
            self.facts(st.facts, name, f"{location}[{i}]", "facts")


def _check_conditions(conditions: Mapping[str, Condition], paths: Mapping[str, str], chk: _Checker) -> None:
    for cid, cond in conditions.items():
        name = paths[cid]
        chk.refs(cond.summary_refs, name, f"id={cid}", "summary_refs")
        for section, items in cond.sections:
            chk.statements(items, name, f"sections.{section}")
        for i, note in enumerate(cond.course_notes, start=1):
            chk.refs(note.refs, name, f"course_notes[{i}]", "refs")
            chk.facts(note.facts, name, f"course_notes[{i}]", "facts")
        for other in cond.confused_with:
            if other not in CONDITION_IDS or other == cid:
                chk.errors.append(ContentError(name, f"id={cid}", "confused_with", f"unknown condition id '{other}'"))
    for cid in CONDITION_IDS:
        if cid not in conditions and not any(e.file == f"conditions/{cid}.yaml" for e in chk.errors):
            chk.errors.append(ContentError(f"conditions/{cid}.yaml", "file", "-", f"condition '{cid}' is missing"))


def load_knowledge(folder: Path | str | None = None) -> KnowledgeBase:
    """Load and validate data/ (or folder); raise KnowledgeError listing every problem."""
    kb, errors = _load(Path(folder) if folder is not None else DATA_DIR)
    if errors or kb is None:
        raise KnowledgeError(errors)
    return kb


def check(folder: Path | str | None = None) -> list[ContentError]:
    """Every problem in the content of folder (empty when clean)."""
    return _load(Path(folder) if folder is not None else DATA_DIR)[1]


def _load(root: Path) -> tuple[KnowledgeBase | None, list[ContentError]]:
    errors: list[ContentError] = []
    if not root.is_dir():
        return None, [ContentError(root.as_posix(), "folder", "-", "data folder is missing")]

    # Evidence snapshot (provenance of numbers)
    evidence_list = _load_list(root / "evidence" / "facts.yaml", root, EvidenceFact, errors)
    evidence = {f.id: f for f in evidence_list}

    # References: references.yaml plus any references_*.yaml
    ref_files = [root / "references.yaml", *sorted(root.glob("references_*.yaml"))]
    references: dict[str, Reference] = {}
    for path in ref_files:
        items = _load_list(path, root, Reference, errors)
        name = _rel(path, root)
        for ref in items:
            if ref.id in references:
                errors.append(ContentError(name, f"id={ref.id}", "id", f"duplicate id '{ref.id}'"))
            references[ref.id] = ref
    chk = _Checker(references, evidence, errors)

    # Settings
    settings: Settings | None = None
    try:
        settings_data = _read_yaml(root / "settings.yaml", "settings.yaml")
        settings = _build(Settings, settings_data, "settings.yaml", "file", errors)
    except _FileProblem as exc:
        errors.append(exc.error)

    # Conditions
    conditions: dict[str, Condition] = {}
    cond_paths: dict[str, str] = {}
    cond_dir = root / "conditions"
    for cid in CONDITION_IDS:
        path = cond_dir / f"{cid}.yaml"
        name = _rel(path, root)
        try:
            data = _read_yaml(path, name)
        except _FileProblem as exc:
            errors.append(exc.error)
            continue
        cond = _build(Condition, data, name, f"id={data.get('id', cid) if isinstance(data, Mapping) else cid}", errors)
        if cond is None:
            continue
        if cond.id != cid:
            errors.append(ContentError(name, f"id={cond.id}", "id", f"id must equal the file name '{cid}'"))
            continue
        conditions[cid] = cond
        cond_paths[cid] = name
    if cond_dir.is_dir():
        for extra in sorted(cond_dir.glob("*.yaml")):
            if extra.stem not in CONDITION_IDS:
                errors.append(
                    ContentError(
                        _rel(extra, root), "file", "id", f"unknown condition id '{extra.stem}'; expected one of {list(CONDITION_IDS)}"
                    )
                )
    _check_conditions(conditions, cond_paths, chk)
    ordered_conditions = {cid: conditions[cid] for cid in CONDITION_IDS if cid in conditions}

    # Overview
    overview: Overview | None = None
    try:
        ov_data = _read_yaml(root / "overview.yaml", "overview.yaml")
        overview = _build(Overview, ov_data, "overview.yaml", "file", errors)
    except _FileProblem as exc:
        errors.append(exc.error)
    if overview is not None:
        for part in ("mobility", "lower_limb", "trunk", "common_conditions"):
            chk.statements(getattr(overview, part), "overview.yaml", part)
        for i, row in enumerate(overview.rom, start=1):
            loc = f"rom[{i}] ({row.movement})"
            chk.refs([row.ref], "overview.yaml", loc, "ref")
            chk.facts([row.fact], "overview.yaml", loc, "fact", [x for x in (row.value, row.low, row.high) if x is not None])
        for i, note in enumerate(overview.course_notes, start=1):
            chk.refs(note.refs, "overview.yaml", f"course_notes[{i}]", "refs")
            chk.facts(note.facts, "overview.yaml", f"course_notes[{i}]", "facts")

    # Features
    feature_defs = _load_list(root / "features.yaml", root, FeatureDef, errors)
    _unique(((f.id, f"id={f.id}") for f in feature_defs), "features.yaml", errors)
    features = {f.id: f for f in feature_defs}
    fv_rows = _load_csv(
        root / "feature_values.csv",
        root,
        FeatureValue,
        FEATURE_VALUE_COLUMNS,
        errors,
        lambda r: f"{r.get('condition')}/{r.get('feature')}",
    )
    bands = set(settings.frequency_bands) if settings else set()
    for line, fv in fv_rows:
        loc = f"line {line} ({fv.condition}/{fv.feature})"
        name = "feature_values.csv"
        if fv.condition not in CONDITION_IDS:
            errors.append(ContentError(name, loc, "condition", f"unknown condition id '{fv.condition}'"))
        fdef = features.get(fv.feature)
        if fdef is None:
            errors.append(ContentError(name, loc, "feature", f"unknown feature id '{fv.feature}'"))
        else:
            if fdef.kind == "proportion" and any(not 0 <= x <= 100 for x in fv.numbers):
                errors.append(ContentError(name, loc, "value", "a proportion must lie between 0 and 100 (percent)"))
            if fdef.kind == "age" and any(not 0 <= x <= 120 for x in fv.numbers):
                errors.append(ContentError(name, loc, "value", "an age must lie between 0 and 120 years"))
            if fdef.kind == "frequency" and fv.basis == "estimate" and not fv.numbers and fv.text not in bands:
                errors.append(ContentError(name, loc, "text", f"an estimated frequency must be one of the bands {sorted(bands)}"))
        chk.refs([fv.ref], name, loc, "ref")
        chk.facts([fv.fact], name, loc, "fact", fv.numbers)
    feature_values = tuple(fv for _, fv in fv_rows)

    # Tests
    test_rows = _load_csv(root / "tests.csv", root, DiagnosticTest, TEST_COLUMNS, errors, lambda r: str(r.get("id")))
    _unique(((t.id, f"line {line} ({t.id})") for line, t in test_rows), "tests.csv", errors)
    tests = {t.id: t for _, t in test_rows}
    excluded = (
        tuple(
            e
            for _, e in _load_csv(
                root / "tests_excluded.csv", root, ExcludedTest, EXCLUDED_COLUMNS, errors, lambda r: str(r.get("evidence_id"))
            )
        )
        if (root / "tests_excluded.csv").exists()
        else ()
    )

    # Findings
    finding_list = _load_list(root / "findings.yaml", root, Finding, errors)
    _unique(((f.id, f"id={f.id}") for f in finding_list), "findings.yaml", errors)
    findings = {f.id: f for f in finding_list}
    for f in finding_list:
        loc = f"id={f.id}"
        seen = [row.condition for row in f.frequency]
        for cid in seen:
            if cid not in CONDITION_IDS:
                errors.append(ContentError("findings.yaml", loc, f"frequency.{cid}", f"unknown condition id '{cid}'"))
        for cid in CONDITION_IDS:
            if cid not in seen:
                errors.append(ContentError("findings.yaml", loc, f"frequency.{cid}", "frequency for this condition is missing"))
        for row in f.frequency:
            floc = f"frequency.{row.condition}"
            chk.refs(row.refs, "findings.yaml", loc, f"{floc}.refs")
            chk.facts(row.facts, "findings.yaml", loc, f"{floc}.facts", [row.value] if row.value is not None else [])
        for tid in f.tests:
            if tid not in tests:
                errors.append(ContentError("findings.yaml", loc, "tests", f"unknown test id '{tid}'"))
        if f.id.startswith("positive_") and not f.tests and not f.accuracy_note:
            errors.append(
                ContentError("findings.yaml", loc, "tests", "a test finding needs its tests or an accuracy_note saying none exists")
            )
        for i, ro in enumerate(f.rule_out, start=1):
            chk.refs(ro.refs, "findings.yaml", loc, f"rule_out[{i}].refs")
    for line, t in test_rows:
        loc = f"line {line} ({t.id})"
        if t.condition not in CONDITION_IDS:
            errors.append(ContentError("tests.csv", loc, "condition", f"unknown condition id '{t.condition}'"))
        if t.finding is not None and t.finding not in findings and finding_list:
            errors.append(ContentError("tests.csv", loc, "finding", f"unknown finding id '{t.finding}'"))
        chk.refs([t.ref], "tests.csv", loc, "ref")
        chk.refs(t.procedure_refs, "tests.csv", loc, "procedure_refs")

    # Cases (optional file)
    cases: dict[str, Case] = {}
    if (root / "cases.yaml").exists():
        case_list = _load_list(root / "cases.yaml", root, Case, errors)
        _unique(((c.id, f"id={c.id}") for c in case_list), "cases.yaml", errors)
        for c in case_list:
            loc = f"id={c.id}"
            if c.final_diagnosis not in CONDITION_IDS:
                errors.append(ContentError("cases.yaml", loc, "final_diagnosis", f"unknown condition id '{c.final_diagnosis}'"))
            for stage in ("history", "examination", "imaging"):
                st = getattr(c, stage)
                for fid in (*st.present, *st.absent):
                    if fid not in findings and finding_list:
                        errors.append(ContentError("cases.yaml", loc, f"{stage}", f"unknown finding id '{fid}'"))
            chk.refs(c.references, "cases.yaml", loc, "references")
            cases[c.id] = c

    # Settings presets
    if settings is not None:
        seen_presets: set[str] = set()
        for preset in settings.presets:
            loc = f"presets.{preset.id}"
            if preset.id in seen_presets:
                errors.append(ContentError("settings.yaml", loc, "id", f"duplicate id '{preset.id}'"))
            seen_presets.add(preset.id)
            got = [p.condition for p in preset.pretest]
            for cid in got:
                if cid not in CONDITION_IDS:
                    errors.append(ContentError("settings.yaml", loc, f"pretest.{cid}", f"unknown condition id '{cid}'"))
            for cid in CONDITION_IDS:
                if cid not in got:
                    errors.append(
                        ContentError("settings.yaml", loc, f"pretest.{cid}", "pre-test probability for this condition is missing")
                    )
            for share in preset.pretest:
                chk.refs(share.refs, "settings.yaml", loc, f"pretest.{share.condition}.refs")

    # Glossary (optional file)
    glossary: dict[str, GlossaryTerm] = {}
    if (root / "glossary.yaml").exists():
        terms = _load_list(root / "glossary.yaml", root, GlossaryTerm, errors)
        _unique(((t.id, f"id={t.id}") for t in terms), "glossary.yaml", errors)
        for t in terms:
            chk.refs(t.refs, "glossary.yaml", f"id={t.id}", "refs")
            for cid in t.conditions:
                if cid not in CONDITION_IDS:
                    errors.append(ContentError("glossary.yaml", f"id={t.id}", "conditions", f"unknown condition id '{cid}'"))
            glossary[t.id] = t

    if errors or settings is None or overview is None:
        return None, errors
    kb = KnowledgeBase(
        references=MappingProxyType(dict(sorted(references.items()))),
        conditions=MappingProxyType(ordered_conditions),
        overview=overview,
        features=MappingProxyType(features),
        feature_values=feature_values,
        findings=MappingProxyType(findings),
        tests=MappingProxyType(tests),
        excluded_tests=excluded,
        settings=settings,
        cases=MappingProxyType(cases),
        evidence=MappingProxyType(evidence),
        glossary=MappingProxyType(dict(sorted(glossary.items(), key=lambda kv: kv[1].term.lower()))),
    )
    return kb, []
