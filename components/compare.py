"""Comparison tables: cells with values, ranges, citations, conflicts and gaps (pure)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import FeatureDef, FeatureValue, Reference
from components.safety import csv_safe

NOT_REPORTED = "not reported"
BAND_LABELS = {
    "typical": "typical",
    "common": "common",
    "occasional": "occasional",
    "rare": "rare",
    "not_expected": "not expected",
}
NUMERIC_SCALES = {"proportion": 100.0, "age": 40.0, "ratio": 10.0}
HIGHLIGHT_THRESHOLD = 0.25
MAX_HIGHLIGHTS = 3


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else f"{round(x)}"


def format_number(fv: FeatureValue, unit: str | None) -> str:
    """A value or range as text, e.g. '86.4%', '25-47%', '41 y (11-72)'."""
    suffix = {"%": "%", "years": " y"}.get(unit or "", f" {unit}" if unit else "")
    if fv.value is not None and fv.low is not None and fv.high is not None:
        return f"{_num(fv.value)}{suffix} ({_num(fv.low)}–{_num(fv.high)})"
    if fv.value is not None:
        return f"{_num(fv.value)}{suffix}"
    if fv.low is not None and fv.high is not None:
        return f"{_num(fv.low)}–{_num(fv.high)}{suffix}"
    if fv.high is not None:
        return f"up to {_num(fv.high)}{suffix}"
    if fv.low is not None:
        return f"at least {_num(fv.low)}{suffix}"
    return ""


def format_value(fv: FeatureValue, fdef: FeatureDef) -> str:
    """Human text of one row: number, band or text; estimates and course claims say so."""
    if fv.basis == "not_reported":
        return NOT_REPORTED
    parts = []
    if fv.numbers and not (fv.text and fv.basis == "course"):
        parts.append(format_number(fv, fv.unit or fdef.unit))
    if fv.text:
        parts.append(BAND_LABELS.get(fv.text, fv.text) if fdef.kind == "frequency" else fv.text)
    text = ", ".join(parts)
    if fv.basis == "estimate":
        text += " (estimate)"
    elif fv.basis == "derived":
        text += " (derived)"
    elif fv.basis == "course":
        text = f"course notes: {text.removeprefix('course notes: ')}"
    return text


def interval(fv: FeatureValue) -> tuple[float, float] | None:
    """The numeric interval a row covers, or None."""
    nums = fv.numbers
    if not nums:
        return None
    low = fv.low if fv.low is not None else (fv.value if fv.value is not None else fv.high)
    high = fv.high if fv.high is not None else (fv.value if fv.value is not None else fv.low)
    return (float(low), float(high)) if low is not None and high is not None else None


def numeric_level(fv: FeatureValue, fdef: FeatureDef, kb: KnowledgeBase) -> float | None:
    """One number for a row on a comparable scale (band probability or midpoint), or None."""
    if fv.basis in ("not_reported", "course"):
        return None
    if fdef.kind == "frequency":
        if fv.text in kb.settings.frequency_bands:
            return kb.band_value(fv.text)
        if fv.value is not None and (fv.unit or fdef.unit) in ("%", None):
            return fv.value / 100.0
        return None
    span = interval(fv)
    if span is None:
        return None
    return (span[0] + span[1]) / 2.0


@dataclass(frozen=True)
class CellPart:
    """One sourced statement inside a cell."""

    text: str
    ref: str | None
    basis: str
    note: str | None
    population: str | None


@dataclass(frozen=True)
class Cell:
    """One (condition, feature) cell of a comparison."""

    condition: str
    feature: str
    parts: tuple[CellPart, ...]
    conflict: bool
    not_reported: bool
    estimate: bool
    summary: str = NOT_REPORTED
    refs: tuple[str, ...] = ()
    course: str | None = None

    @property
    def evidence_parts(self) -> tuple[CellPart, ...]:
        """Parts that are evidence (not the course notes' claim)."""
        return tuple(p for p in self.parts if p.basis != "course")


@dataclass(frozen=True)
class Row:
    """One feature across the chosen conditions."""

    feature: FeatureDef
    cells: tuple[Cell, ...]
    score: float | None
    highlighted: bool = False


@dataclass
class Citations:
    """Numbered citations in order of first use."""

    order: list[str] = field(default_factory=list)

    def number(self, ref: str) -> int:
        """The citation number of a reference, assigning the next one on first use."""
        if ref not in self.order:
            self.order.append(ref)
        return self.order.index(ref) + 1


@dataclass(frozen=True)
class Comparison:
    """A comparison table: rows of features, columns of conditions, numbered citations."""

    conditions: tuple[str, ...]
    rows: tuple[Row, ...]
    citations: tuple[str, ...]

    def number_of(self, ref: str) -> int:
        """Citation number of a reference in this table."""
        return self.citations.index(ref) + 1

    def number_of_course(self, cell: Cell) -> int:
        """Citation number of the course notes' claim in a cell."""
        refs = [p.ref for p in cell.parts if p.basis == "course" and p.ref]
        return self.number_of(refs[0]) if refs else 0


def summarise(rows: Sequence[FeatureValue], fdef: FeatureDef) -> str:
    """One short text for a cell: the span of point estimates, or the distinct texts."""
    if not rows:
        return NOT_REPORTED
    if fdef.kind in ("proportion", "age", "ratio") and fdef.summary == "span":
        numeric = [r for r in rows if r.numbers]
        if numeric:
            points = [(r.value, r.value) if r.value is not None else interval(r) for r in numeric]
            lo = min(p[0] for p in points if p)
            hi = max(p[1] for p in points if p)
            if len(numeric) == 1:
                text = format_number(numeric[0], numeric[0].unit or fdef.unit)
            else:
                unit = numeric[0].unit or fdef.unit
                suffix = {"%": "%", "years": " y"}.get(unit or "", f" {unit}" if unit else "")
                text = f"{_num(lo)}{suffix}" if lo == hi else f"{_num(lo)}–{_num(hi)}{suffix}"
            if any(r.basis == "estimate" for r in numeric):
                text += " (estimate)"
            return text
    texts = list(dict.fromkeys(format_value(r, fdef).replace(" (derived)", "") for r in rows))
    return "; ".join(texts)


def _cell(kb: KnowledgeBase, condition: str, fdef: FeatureDef) -> Cell:
    rows = kb.values_for(condition, fdef.id)
    reported = [r for r in rows if r.basis != "not_reported"]
    parts = tuple(CellPart(format_value(r, fdef), r.ref, r.basis, r.note, r.population) for r in (reported or rows))
    evidence = [r for r in reported if r.basis != "course"]
    course = [r for r in reported if r.basis == "course"]
    distinct = {format_value(r, fdef).replace(" (derived)", "") for r in evidence}
    return Cell(
        condition=condition,
        feature=fdef.id,
        parts=parts,
        conflict=len(distinct) > 1,
        not_reported=not evidence,
        estimate=any(r.basis == "estimate" for r in evidence),
        summary=summarise(evidence, fdef),
        refs=tuple(dict.fromkeys(r.ref for r in evidence if r.ref)),
        course="; ".join(format_value(r, fdef) for r in course) or None,
    )


def discrimination(kb: KnowledgeBase, fdef: FeatureDef, conditions: Sequence[str]) -> float | None:
    """How well a feature tells the conditions apart (0-1), or None when it cannot be judged.

    The spread of the conditions' levels (band probabilities, or midpoints on the feature's scale),
    scaled down by the share of conditions for which any source reports the feature.
    """
    if fdef.kind in ("categorical", "text"):
        return None
    levels = []
    for cid in conditions:
        values = [v for v in (numeric_level(r, fdef, kb) for r in kb.values_for(cid, fdef.id)) if v is not None]
        if values:
            levels.append(sum(values) / len(values))
    if len(levels) < 2:
        return None
    spread = max(levels) - min(levels)
    scale = 1.0 if fdef.kind == "frequency" else NUMERIC_SCALES.get(fdef.kind, 100.0)
    coverage = len(levels) / len(conditions)
    return min(1.0, spread / scale) * coverage


def build_comparison(kb: KnowledgeBase, conditions: Sequence[str], features: Sequence[str] | None = None) -> Comparison:
    """The comparison of conditions (columns) over features (rows; default all)."""
    feature_ids = list(features) if features else list(kb.features)
    scored = []
    for fid in feature_ids:
        fdef = kb.features[fid]
        cells = tuple(_cell(kb, cid, fdef) for cid in conditions)
        scored.append((fdef, cells, discrimination(kb, fdef, conditions)))
    ranked = sorted((s for s in scored if s[2] is not None and s[2] >= HIGHLIGHT_THRESHOLD), key=lambda s: -float(s[2] or 0))
    top = {s[0].id for s in ranked[:MAX_HIGHLIGHTS]}
    citations = Citations()
    rows = []
    for fdef, cells, score in scored:
        for cell in cells:
            for part in cell.parts:
                if part.ref:
                    citations.number(part.ref)
        rows.append(Row(fdef, cells, score, fdef.id in top))
    return Comparison(tuple(conditions), tuple(rows), tuple(citations.order))


def cell_text(cell: Cell, comparison: Comparison) -> str:
    """Plain text of a cell with citation numbers, e.g. '81–100% [1][2] (sources differ)'."""
    markers = "".join(f"[{comparison.number_of(r)}]" for r in cell.refs)
    text = f"{cell.summary} {markers}".strip()
    if cell.conflict:
        text += " (sources differ)"
    if cell.course:
        text += f"; {cell.course} [{comparison.number_of_course(cell)}]"
    return text


def detail_rows(kb: KnowledgeBase, comparison: Comparison) -> list[dict[str, object]]:
    """Every value behind the table, one row per source: what a clinician checks."""
    out: list[dict[str, object]] = []
    for row in comparison.rows:
        for cid, cell in zip(comparison.conditions, row.cells, strict=True):
            for part in cell.parts:
                ref = kb.references[part.ref] if part.ref else None
                out.append(
                    {
                        "Condition": kb.conditions[cid].short_name,
                        "Feature": row.feature.label,
                        "Value": part.text,
                        "Basis": part.basis.replace("_", " "),
                        "Citation": f"[{comparison.number_of(part.ref)}] {ref.short}" if ref and part.ref else "",
                        "Design": ref.design if ref else "",
                        "Population": part.population or "",
                        "Note": part.note or "",
                    }
                )
    return out


def reference_line(ref: Reference) -> str:
    """One-line citation: authors, year, title, journal, DOI or link."""
    bits = [ref.authors or "", f"({ref.year})" if ref.year else "", ref.title, ref.journal or ""]
    line = " ".join(b for b in bits if b).strip()
    if ref.doi:
        line += f" doi:{ref.doi}"
    elif ref.pmid:
        line += f" PMID {ref.pmid}"
    if ref.link:
        line += f" {ref.link}"
    return line


def comparison_csv(kb: KnowledgeBase, comparison: Comparison) -> str:
    """The comparison as CSV: one row per feature, a column per condition, then the numbered references."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = [kb.conditions[c].name for c in comparison.conditions]
    writer.writerow(["Feature", *names, "Best separates"])
    for row in comparison.rows:
        writer.writerow(
            [csv_safe(row.feature.label), *[csv_safe(cell_text(c, comparison)) for c in row.cells], "yes" if row.highlighted else ""]
        )
    writer.writerow([])
    writer.writerow(["Reference", "Citation"])
    for i, ref_id in enumerate(comparison.citations, start=1):
        writer.writerow([f"[{i}]", csv_safe(reference_line(kb.references[ref_id]))])
    writer.writerow([])
    writer.writerow(["Note", "HipLens is for education, not diagnosis. Estimates are judgements, not measurements."])
    return buf.getvalue()
