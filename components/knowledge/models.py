"""Typed, immutable models of the HipLens knowledge base (pydantic v2, no streamlit)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, computed_field, field_validator, model_validator

SCHEMA_VERSION = "1.0"

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
OpenProbability = Annotated[float, Field(gt=0.0, lt=1.0)]
PositiveFloat = Annotated[float, Field(gt=0.0)]

CONDITION_IDS: tuple[str, ...] = (
    "ifi",
    "dgs",
    "lumbar_sciatica",
    "fai",
    "labral_tear",
    "hip_oa",
    "gluteal_tendinopathy",
    "hamstring_tendinopathy",
)
SECTION_KEYS: tuple[str, ...] = (
    "definition",
    "anatomy",
    "symptoms",
    "aggravating_easing",
    "causes_risk_factors",
    "examination",
    "imaging",
    "treatment",
    "prognosis",
)
SECTION_LABELS: Mapping[str, str] = {
    "definition": "Definition",
    "anatomy": "Anatomy: structures involved",
    "symptoms": "Symptoms",
    "aggravating_easing": "Aggravating and easing factors",
    "causes_risk_factors": "Causes and risk factors",
    "examination": "Examination",
    "imaging": "Imaging",
    "treatment": "Treatment",
    "prognosis": "Prognosis",
}

Strength = Literal[
    "meta-analysis",
    "systematic-review",
    "guideline",
    "cohort",
    "case-series",
    "case-report",
    "expert-review",
    "educational-page",
    "course-notes",
]
# Order used to rank evidence strength on screen (strongest first): the order of the Literal above.
STRENGTH_ORDER: tuple[str, ...] = get_args(Strength)
Basis = Literal["reported", "derived", "estimate", "course"]
Category = Literal["intra_articular", "extra_articular", "spinal"]
Region = Literal[
    "buttock",
    "groin",
    "lateral_hip",
    "posterior_thigh",
    "anterior_thigh",
    "medial_thigh",
    "low_back",
    "below_knee",
]
Band = Literal["typical", "common", "occasional", "rare", "not_expected"]
FindingGroup = Literal["history", "examination", "imaging"]
FeatureKind = Literal["proportion", "age", "ratio", "frequency", "categorical", "text"]
FeatureGroup = Literal["epidemiology", "symptoms", "aggravating", "imaging", "treatment"]
TestCategory = Literal["history", "clinical", "imaging", "electrodiagnostic", "rule"]
LrBasis = Literal["computed", "published", "pooled_separately"]


class Frozen(BaseModel):
    """Base model: immutable, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _split_list(value: Any) -> Any:
    """Accept 'a; b' strings (CSV cells) as lists; None as empty."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return value


class Reference(Frozen):
    """One bibliographic source."""

    id: Id
    authors: str | None = None
    year: Annotated[int, Field(ge=1800, le=2100)] | None = None
    title: Text
    journal: str | None = None
    volume_pages: str | None = None
    doi: Annotated[str, StringConstraints(pattern=r"^10\.\d{4,9}/\S+$")] | None = None
    pmid: Annotated[str, StringConstraints(pattern=r"^\d{1,9}$")] | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    design: Strength
    note: str | None = None

    @field_validator("pmid", mode="before")
    @classmethod
    def _pmid_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @property
    def link(self) -> str | None:
        """Best link to the source: DOI, then PubMed, then the URL where it was seen."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    @property
    def short(self) -> str:
        """Short citation label such as 'Singer (2015)'."""
        if self.authors:
            first = re.split(r"\s+et al", self.authors.split(",")[0].strip())[0]
        elif self.journal:
            first = self.journal.strip()  # whole: "Knee Surgery, Sports Traumatology, Arthroscopy" has commas
        else:
            first = _title_start(self.title)  # never the internal id: readers see this label
        return f"{first} ({self.year})" if self.year else first


def first_words(text: str, length: int = 32) -> str:
    """The first words of a text (at least `length` characters, whole words), with an ellipsis if cut.

    A cut never leaves a parenthesis open or ends on punctuation.
    """
    words = text.split()
    out: list[str] = []
    for word in words:
        out.append(word)
        if len(" ".join(out)) >= length:
            break
    if len(out) == len(words):
        return text.strip()
    kept = " ".join(out)
    if kept.count("(") > kept.count(")"):
        kept = kept[: kept.rindex("(")]
    return kept.rstrip(":;,.- ") + "…"


def _title_start(title: str) -> str:
    """The first words of a title, without the '[Title not captured]' marker of a descriptive title."""
    return first_words(re.sub(r"^\[Title not captured\]\s*", "", title))


class Statement(Frozen):
    """A clinical statement with the references that support it."""

    text: Text
    refs: tuple[Id, ...] = Field(min_length=1)
    facts: tuple[Id, ...] = ()
    basis: Basis = "reported"
    note: str | None = None


class Sections(Frozen):
    """The nine sections every condition must fill."""

    definition: tuple[Statement, ...] = Field(min_length=1)
    anatomy: tuple[Statement, ...] = Field(min_length=1)
    symptoms: tuple[Statement, ...] = Field(min_length=1)
    aggravating_easing: tuple[Statement, ...] = Field(min_length=1)
    causes_risk_factors: tuple[Statement, ...] = Field(min_length=1)
    examination: tuple[Statement, ...] = Field(min_length=1)
    imaging: tuple[Statement, ...] = Field(min_length=1)
    treatment: tuple[Statement, ...] = Field(min_length=1)
    prognosis: tuple[Statement, ...] = Field(min_length=1)


class CourseNote(Frozen):
    """A point of the course notes beside what the evidence says about it."""

    topic: Text
    course_says: Text
    evidence_says: Text
    verdict: Literal["supported", "partly_supported", "conflicts", "not_found"]
    refs: tuple[Id, ...] = ()
    facts: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _needs_refs_unless_not_found(self) -> CourseNote:
        if self.verdict != "not_found" and not self.refs:
            raise ValueError("a course note that is supported or contradicted needs refs")
        return self


class Condition(Frozen):
    """One condition of the differential with its sourced sections."""

    id: Id
    name: Text
    short_name: Text
    aliases: tuple[Text, ...] = ()
    category: Category
    pain_regions: tuple[Region, ...] = Field(min_length=1)
    structures: tuple[Text, ...] = Field(min_length=1)
    summary: Text
    summary_refs: tuple[Id, ...] = Field(min_length=1)
    reviewed: dt.date
    confused_with: tuple[Id, ...] = ()
    sections: Sections
    course_notes: tuple[CourseNote, ...] = ()


class RomRow(Frozen):
    """Normal range of one hip movement from one source."""

    movement: Id
    label: Text
    low: Annotated[float, Field(ge=0, le=180)] | None = None
    high: Annotated[float, Field(ge=0, le=180)] | None = None
    value: Annotated[float, Field(ge=0, le=180)] | None = None
    unit: Literal["degrees"] = "degrees"
    position: str | None = None
    ref: Id
    fact: Id | None = None
    locator: str | None = None
    basis: Basis = "reported"
    note: str | None = None

    @model_validator(mode="after")
    def _range_ok(self) -> RomRow:
        if self.low is None and self.high is None and self.value is None:
            raise ValueError("a range-of-motion row needs value or low/high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        if self.fact is None and not self.locator:
            raise ValueError("a number needs its provenance: fact or locator")
        return self


class Overview(Frozen):
    """The hip, its mobility and its role for the lower limb and trunk."""

    title: Text
    mobility: tuple[Statement, ...] = Field(min_length=1)
    lower_limb: tuple[Statement, ...] = Field(min_length=1)
    trunk: tuple[Statement, ...] = Field(min_length=1)
    common_conditions: tuple[Statement, ...] = Field(min_length=1)
    rom: tuple[RomRow, ...] = Field(min_length=1)
    course_notes: tuple[CourseNote, ...] = ()
    reviewed: dt.date


class FeatureDef(Frozen):
    """A comparison feature (a row of the comparison table)."""

    id: Id
    label: Text
    kind: FeatureKind
    group: FeatureGroup
    unit: str | None = None
    description: Text
    chart: bool = False
    summary: Literal["span", "list"] = "span"


class FeatureValue(Frozen):
    """One (condition, feature) value with its source; several rows mean sources that differ."""

    condition: Id
    feature: Id
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    text: str | None = None
    basis: Basis | Literal["not_reported"] = "reported"
    ref: Id | None = None
    fact: Id | None = None
    locator: str | None = None
    population: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FeatureValue:
        numbers = [x for x in (self.value, self.low, self.high) if x is not None]
        if any(not math.isfinite(x) for x in numbers):
            raise ValueError("numbers must be finite")
        if self.basis == "not_reported":
            if numbers:
                raise ValueError("a not_reported row carries no number")
            if not self.note:
                raise ValueError("a not_reported row needs a note saying what was searched")
            return self
        if not self.ref:
            raise ValueError("a reported value needs ref")
        if not numbers and not self.text:
            raise ValueError("needs a value, a low-high range or a text")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        if numbers and self.basis in ("reported", "derived") and not self.fact and not self.locator:
            raise ValueError("a number needs its provenance: fact (evidence id) or locator")
        return self

    @property
    def numbers(self) -> tuple[float, ...]:
        """The numbers of the row, in the order value, low, high."""
        return tuple(x for x in (self.value, self.low, self.high) if x is not None)


class ConditionFrequency(Frozen):
    """P(finding present | condition): a measured proportion or an estimated band."""

    condition: Id
    value: OpenProbability | None = None
    band: Band | None = None
    refs: tuple[Id, ...] = Field(min_length=1)
    facts: tuple[Id, ...] = ()
    locator: str | None = None
    basis: Basis = "estimate"
    note: str | None = None

    @model_validator(mode="after")
    def _value_or_band(self) -> ConditionFrequency:
        if (self.value is None) == (self.band is None):
            raise ValueError("give exactly one of value (measured) or band (estimate)")
        if self.band is not None and self.basis != "estimate":
            raise ValueError("a band is a judgement: its basis must be 'estimate'")
        if self.value is not None:
            if self.basis not in ("reported", "derived"):
                raise ValueError("a measured value has basis 'reported' or 'derived'")
            if not self.facts and not self.locator:
                raise ValueError("a measured value needs facts or locator")
        return self


class RuleOut(Frozen):
    """A serious condition that a red flag asks to rule out."""

    name: Text
    refs: tuple[Id, ...] = Field(min_length=1)


class Finding(Frozen):
    """A history, examination or imaging finding used by the differential."""

    id: Id
    label: Text
    group: FindingGroup
    description: str | None = None
    red_flag: bool = False
    rule_out: tuple[RuleOut, ...] = ()
    tests: tuple[Id, ...] = ()
    accuracy_note: str | None = None
    frequency: tuple[ConditionFrequency, ...] = ()

    @field_validator("frequency", mode="before")
    @classmethod
    def _mapping_to_rows(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            rows = []
            for condition, row in value.items():
                if isinstance(row, Mapping):
                    rows.append({"condition": condition, **row})
                else:
                    rows.append({"condition": condition, "band": row})
            return rows
        return value

    @model_validator(mode="after")
    def _red_flags_name_what(self) -> Finding:
        if self.red_flag and not self.rule_out:
            raise ValueError("a red flag must name what to rule out (rule_out)")
        return self

    def p_present(self, condition: str, bands: Mapping[str, float]) -> float:
        """P(present | condition): the measured value or the band's number."""
        for row in self.frequency:
            if row.condition == condition:
                return row.value if row.value is not None else bands[row.band or "rare"]
        raise KeyError(condition)


def _lr_bounds(sens: float, spec: float, positive: bool) -> tuple[float, float]:
    """Range of LR+ (or LR-) when sensitivity and specificity are known only to their printed rounding."""
    s_lo, s_hi = _rounding_bounds(sens)
    p_lo, p_hi = _rounding_bounds(spec)
    s_hi, p_hi = min(s_hi, 1.0), min(p_hi, 1.0)
    if positive:  # sens / (1 - spec)
        lo = s_lo / (1 - p_lo) if p_lo < 1 else math.inf
        hi = s_hi / (1 - p_hi) if p_hi < 1 else math.inf
    else:  # (1 - sens) / spec
        lo = (1 - s_hi) / p_hi if p_hi > 0 else math.inf
        hi = (1 - s_lo) / p_lo if p_lo > 0 else math.inf
    return lo, hi


def _rounding_bounds(x: float) -> tuple[float, float]:
    """The interval of values that print as x (half a unit of the last decimal)."""
    text = repr(float(x))
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 3
    half = 0.5 * 10 ** (-decimals)
    return max(0.0, x - half), x + half


class DiagnosticTest(Frozen):
    """Accuracy of one test for one condition, as published."""

    id: Id
    name: Text
    condition: Id
    target_as_reported: Text
    category: TestCategory
    finding: Id | None = None
    sensitivity: Probability | None = None
    specificity: Probability | None = None
    lr_pos: PositiveFloat | None = None
    lr_pos_low: PositiveFloat | None = None
    lr_pos_high: PositiveFloat | None = None
    lr_neg: Annotated[float, Field(ge=0.0)] | None = None
    lr_neg_low: Annotated[float, Field(ge=0.0)] | None = None
    lr_neg_high: Annotated[float, Field(ge=0.0)] | None = None
    lr_basis: LrBasis | None = None
    n: Annotated[int, Field(gt=0)] | None = None
    reference_standard: Text
    ref: Id
    procedure: Text
    positive_when: Text
    procedure_refs: tuple[Id, ...] = Field(min_length=1)
    caveat: str | None = None
    evidence_id: str | None = None

    _split = field_validator("procedure_refs", mode="before")(_split_list)

    @model_validator(mode="after")
    def _accuracy_consistent(self) -> DiagnosticTest:
        if all(x is None for x in (self.sensitivity, self.specificity, self.lr_pos, self.lr_neg)):
            raise ValueError("needs sensitivity/specificity or a likelihood ratio")
        if (self.lr_pos is not None or self.lr_neg is not None) and self.lr_basis is None:
            raise ValueError("a likelihood ratio needs lr_basis (published, pooled_separately or computed)")
        for name in ("lr_pos", "lr_neg"):
            low, high, mid = (getattr(self, f"{name}_low"), getattr(self, f"{name}_high"), getattr(self, name))
            if low is not None and high is not None and low > high:
                raise ValueError(f"{name}_low {low:g} is above {name}_high {high:g}")
            if mid is not None and low is not None and high is not None and not low <= mid <= high:
                raise ValueError(f"{name} {mid:g} lies outside its interval {low:g}-{high:g}")
        if self.lr_basis == "pooled_separately" or self.sensitivity is None or self.specificity is None:
            return self
        sens, spec = self.sensitivity, self.specificity
        for name, published in (("lr_pos", self.lr_pos), ("lr_neg", self.lr_neg)):
            if published is None:
                continue
            lo, hi = _lr_bounds(sens, spec, positive=name == "lr_pos")
            p_lo, p_hi = _rounding_bounds(published)
            if p_hi < lo or p_lo > hi:
                raise ValueError(
                    f"{name} {published:g} disagrees with sensitivity {sens:g} and specificity {spec:g} "
                    f"(expected {lo:.2f}-{hi:.2f} within rounding); if it was pooled apart, set "
                    "lr_basis to pooled_separately"
                )
        return self


class ExcludedTest(Frozen):
    """An evidence row deliberately left out, with the reason."""

    evidence_id: Text
    reason: Text


class PretestShare(Frozen):
    """A condition's share of the pre-test probability in a setting."""

    condition: Id
    value: OpenProbability
    refs: tuple[Id, ...] = Field(min_length=1)
    basis: Basis = "estimate"
    note: str | None = None


class Preset(Frozen):
    """A clinical setting with default pre-test probabilities for the eight conditions."""

    id: Id
    label: Text
    description: Text
    pretest: tuple[PretestShare, ...] = Field(min_length=1)
    note: str | None = None

    @field_validator("pretest", mode="before")
    @classmethod
    def _mapping_to_rows(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            return [{"condition": k, **v} if isinstance(v, Mapping) else {"condition": k, "value": v} for k, v in value.items()]
        return value

    @model_validator(mode="after")
    def _sums_to_one(self) -> Preset:
        total = sum(p.value for p in self.pretest)
        if not math.isclose(total, 1.0, abs_tol=0.011):
            raise ValueError(f"pre-test probabilities must sum to 1 (they sum to {total:.3f})")
        return self


class Settings(Frozen):
    """Numbers the app uses that are content, not code."""

    frequency_bands: Mapping[Band, OpenProbability]
    band_basis: Text
    age_sd_years: Annotated[float, Field(gt=0, le=60)] | None = None
    age_basis: str | None = None
    presets: tuple[Preset, ...] = ()

    @model_validator(mode="after")
    def _all_bands(self) -> Settings:
        missing = set(Band.__args__) - set(self.frequency_bands)  # type: ignore[attr-defined]
        if missing:
            raise ValueError(f"frequency_bands lacks {sorted(missing)}")
        values = [self.frequency_bands[b] for b in Band.__args__]  # type: ignore[attr-defined]
        if values != sorted(values, reverse=True):
            raise ValueError("frequency_bands must decrease from typical to not_expected")
        return self


class EvidenceFact(BaseModel):
    """A fact of the evidence pack (snapshot kept in data/evidence/)."""

    model_config = ConfigDict(frozen=True, extra="allow")

    id: str
    condition: str
    topic: str
    statement: str
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    ref: str
    seen_at: str | None = None
    strength: str | None = None


class CaseStage(Frozen):
    """What one step of a teaching case discloses."""

    narrative: Text
    present: tuple[Id, ...] = ()
    absent: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _no_overlap(self) -> CaseStage:
        both = set(self.present) & set(self.absent)
        if both:
            raise ValueError(f"findings both present and absent: {sorted(both)}")
        return self


class Case(Frozen):
    """A teaching case drawn from one published patient."""

    id: Id
    title: Text
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    sex: Literal["female", "male"] | None = None
    history: CaseStage
    examination: CaseStage
    imaging: CaseStage
    final_diagnosis: Id
    giveaway: Text
    references: tuple[Id, ...] = Field(min_length=1)
    source_locator: Text

    @computed_field  # type: ignore[prop-decorator]
    @property
    def findings(self) -> dict[str, bool]:
        """All disclosed findings: id -> present (True) or absent (False)."""
        out: dict[str, bool] = {}
        for stage in (self.history, self.examination, self.imaging):
            out.update({f: True for f in stage.present})
            out.update({f: False for f in stage.absent})
        return out


class GlossaryTerm(Frozen):
    """A term the app uses, with a short definition and its source."""

    id: Id
    term: Text
    definition: Text
    refs: tuple[Id, ...] = Field(min_length=1)
    aliases: tuple[Text, ...] = ()
    kind: Literal["anatomy", "clinical", "test", "statistics", "imaging"] = "clinical"
    conditions: tuple[Id, ...] = ()
