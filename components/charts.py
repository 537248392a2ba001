"""Plotly figure builders, each with a one-line text summary (pure: no streamlit)."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import plotly.graph_objects as go

from components.compare import BAND_LABELS, format_value, interval, numeric_level
from components.knowledge.loader import KnowledgeBase
from components.knowledge.models import DiagnosticTest, first_words
from components.palette import COURSE_COLOUR, OUTLINE, SEQUENTIAL, colour_for

if TYPE_CHECKING:
    from components.diagnosis import Ranked

REGION_LABELS = {
    "buttock": "Buttock",
    "groin": "Groin",
    "lateral_hip": "Lateral hip",
    "posterior_thigh": "Back of thigh",
    "anterior_thigh": "Front of thigh",
    "medial_thigh": "Inner thigh",
    "low_back": "Low back",
    "below_knee": "Below the knee",
}
HEATMAP_FEATURES = (
    "worse_sitting",
    "worse_crossing_legs",
    "worse_long_strides",
    "worse_hip_extension",
    "worse_fadir",
    "worse_bending",
    "neuro_symptoms",
)


@dataclass(frozen=True)
class ChartStyle:
    """Sizes for a chart: normal screens or the lecture hall."""

    font_size: int = 15
    marker_size: int = 13
    line_width: float = 2.5
    height_per_row: int = 46
    min_height: int = 260

    def height(self, rows: int) -> int:
        """Figure height for a number of rows."""
        return max(self.min_height, 110 + self.height_per_row * rows)


NORMAL = ChartStyle()
LECTURE = ChartStyle(font_size=24, marker_size=20, line_width=4.5, height_per_row=70, min_height=380)


@dataclass(frozen=True)
class Chart:
    """A figure and the sentence that says what it shows."""

    figure: go.Figure
    summary: str


def _layout(fig: go.Figure, style: ChartStyle, rows: int, x_title: str, title: str) -> None:
    fig.update_layout(
        title={"text": title, "font": {"size": style.font_size + 3}},
        font={"size": style.font_size},
        height=style.height(rows),
        margin={"l": 10, "r": 20, "t": 50 + style.font_size, "b": 40},
        showlegend=False,
        hoverlabel={"font": {"size": style.font_size}},
    )
    fig.update_xaxes(title_text=x_title, title_font={"size": style.font_size}, tickfont={"size": style.font_size}, zeroline=False)
    fig.update_yaxes(tickfont={"size": style.font_size}, autorange="reversed")


def _ref_label(kb: KnowledgeBase, ref: str | None) -> str:
    if not ref:
        return ""
    r = kb.references[ref]
    return f"{r.short}, {r.design}"


def feature_range_chart(kb: KnowledgeBase, feature: str, conditions: Sequence[str], style: ChartStyle = NORMAL) -> Chart:
    """Dot-and-range chart of a numeric feature: one marker per source, ranges as error bars."""
    fdef = kb.features[feature]
    unit = fdef.unit or ""
    fig = go.Figure()
    names = [kb.conditions[c].short_name for c in conditions]
    said: list[str] = []
    for cid, name in zip(conditions, names, strict=True):
        rows = [r for r in kb.values_for(cid, feature) if r.numbers]
        evidence = [r for r in rows if r.basis != "course"]
        course = [r for r in rows if r.basis == "course"]
        if not evidence:
            fig.add_trace(
                go.Scatter(
                    x=[0],
                    y=[name],
                    mode="text",
                    text=["not reported"],
                    textposition="middle right",
                    textfont={"size": style.font_size, "color": "#777777"},
                    hoverinfo="skip",
                )
            )
            said.append(f"{name} not reported")
        for r in evidence:
            span = interval(r)
            if span is None:
                continue
            centre = r.value if r.value is not None else (span[0] + span[1]) / 2
            hover = f"{kb.conditions[cid].name}<br>{format_value(r, fdef)}<br>{_ref_label(kb, r.ref)}"
            if r.population:
                hover += f"<br>{r.population[:80]}"
            symbol = "circle" if r.value is not None else "line-ns-open"
            fig.add_trace(
                go.Scatter(
                    x=[centre],
                    y=[name],
                    mode="markers",
                    marker={
                        "size": style.marker_size,
                        "color": colour_for(cid),
                        "symbol": symbol,
                        "line": {
                            "width": style.line_width if symbol != "circle" else 1.5,
                            "color": OUTLINE if symbol == "circle" else colour_for(cid),
                        },
                    },
                    error_x={
                        "type": "data",
                        "symmetric": False,
                        "array": [span[1] - centre],
                        "arrayminus": [centre - span[0]],
                        "thickness": style.line_width,
                        "width": style.marker_size / 2,
                        "color": colour_for(cid),
                    },
                    hovertemplate=hover + "<extra></extra>",
                )
            )
        if evidence:
            spans = [interval(r) for r in evidence]
            lo = min(s[0] for s in spans if s)
            hi = max(s[1] for s in spans if s)
            rng = f"{lo:g}{unit if unit == '%' else ''}" if lo == hi else f"{lo:g}–{hi:g}{unit if unit == '%' else ''}"
            said.append(f"{name} {rng} ({len(evidence)} source{'s' if len(evidence) > 1 else ''})")
        for r in course:
            x = r.high if r.high is not None else (r.value if r.value is not None else r.low)
            fig.add_trace(
                go.Scatter(
                    x=[x],
                    y=[name],
                    mode="markers+text",
                    text=["course notes"],
                    textposition="top center",
                    textfont={"size": max(11, style.font_size - 3), "color": COURSE_COLOUR},
                    marker={
                        "size": style.marker_size + 2,
                        "symbol": "diamond-open",
                        "color": COURSE_COLOUR,
                        "line": {"width": style.line_width},
                    },
                    hovertemplate=(
                        f"{kb.conditions[cid].name}<br>{format_value(r, fdef)}<br>No published source gives this figure<extra></extra>"
                    ),
                )
            )
            said[-1] += f"; the course notes say {format_value(r, fdef).removeprefix('course notes: ')}"
    x_title = f"{fdef.label}"
    _layout(fig, style, len(conditions), x_title, fdef.label)
    if fdef.kind == "proportion":
        fig.update_xaxes(range=[-2, 102])
    fig.update_traces(cliponaxis=False)  # a marker at 0% or 100% is drawn whole, not cut by the plot's edge
    summary = f"{fdef.label}: " + "; ".join(said) + "."
    return Chart(fig, summary)


LEGEND_ANCHORS = ("typical", "common", "occasional")
"""Bands the heatmap's legend always names, so that its colour scale reads even when few cells show a band."""


def heatmap_legend(bands: dict[str, float], shown: set[str]) -> list[tuple[str, float]]:
    """(label, value) ticks for the heatmap's colour bar: the anchors and every other band a cell shows.

    The two lowest bands sit close on the bar (0.1 and 0.03): when cells show both, they share one tick.
    """
    low = [b for b in bands if b not in LEGEND_ANCHORS and BAND_LABELS.get(b, b) in shown]
    ticks = [(BAND_LABELS.get(b, b), v) for b, v in bands.items() if b in LEGEND_ANCHORS]
    if len(low) > 1:
        ticks.append((" / ".join(BAND_LABELS.get(b, b) for b in low), sum(bands[b] for b in low) / len(low)))
    elif low:
        ticks.append((BAND_LABELS.get(low[0], low[0]), bands[low[0]]))
    return ticks


def aggravating_heatmap(kb: KnowledgeBase, conditions: Sequence[str], style: ChartStyle = NORMAL) -> Chart:
    """Condition by aggravating-factor heatmap of how often each provokes symptoms."""
    features = [f for f in HEATMAP_FEATURES if f in kb.features]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    strongest: list[str] = []
    for cid in conditions:
        zrow, trow, hrow = [], [], []
        best: tuple[float, str] | None = None
        for fid in features:
            fdef = kb.features[fid]
            rows = [r for r in kb.values_for(cid, fid) if r.basis not in ("not_reported", "course")]
            levels = [lv for lv in (numeric_level(r, fdef, kb) for r in rows) if lv is not None]
            if levels:
                level = max(levels)
                label = "; ".join(format_value(r, fdef) for r in rows)
                zrow.append(level)
                trow.append(BAND_LABELS.get(rows[0].text or "", format_value(rows[0], fdef)).replace(" (estimate)", ""))
                refs = ", ".join(_ref_label(kb, r.ref) for r in rows)
                hrow.append(f"{kb.conditions[cid].name}<br>{fdef.label}: {label}<br>{refs}")
                if best is None or level > best[0]:
                    best = (level, fdef.label.lower())
            else:
                zrow.append(None)
                trow.append("n/r")
                hrow.append(f"{kb.conditions[cid].name}<br>{fdef.label}: not reported")
        z.append(zrow)
        text.append(trow)
        hover.append(hrow)
        if best:
            strongest.append(f"{kb.conditions[cid].short_name}: {best[1]}")
    labels = [kb.features[f].label.replace("Worse ", "").replace("with ", "").capitalize() for f in features]
    bands = heatmap_legend(kb.settings.frequency_bands, {cell for row in text for cell in row})
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=[kb.conditions[c].short_name for c in conditions],
            text=text,
            texttemplate="%{text}",
            textfont={"size": max(11, style.font_size - 2)},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=1,
            xgap=3,
            ygap=3,
            # Every band the cells show, at the value it stands for (bands no cell shows would crowd the bar).
            colorbar={"title": {"text": "How often"}, "tickvals": [v for _, v in bands], "ticktext": [t for t, _ in bands]},
        )
    )
    _layout(fig, style, len(conditions), "", "What makes it worse (n/r: not reported)")
    fig.update_xaxes(tickangle=-30, side="bottom")
    fig.update_layout(height=style.height(len(conditions)) + 90)
    summary = "Aggravating factors, strongest per condition (bands are estimates): " + "; ".join(strongest) + "."
    return Chart(fig, summary)


def pain_location_chart(kb: KnowledgeBase, conditions: Sequence[str], style: ChartStyle = NORMAL) -> Chart:
    """Matrix of where the pain is, per condition."""
    regions = [r for r in REGION_LABELS if any(r in kb.conditions[c].pain_regions for c in conditions)]
    fig = go.Figure()
    said = []
    for cid in conditions:
        cond = kb.conditions[cid]
        present = [r for r in regions if r in cond.pain_regions]
        loc_rows = [r for r in kb.values_for(cid, "pain_location") if r.text]
        src = "; ".join(f"{r.text} ({_ref_label(kb, r.ref)})" for r in loc_rows) or "see condition page"
        fig.add_trace(
            go.Scatter(
                x=[REGION_LABELS[r] for r in present],
                y=[cond.short_name] * len(present),
                mode="markers",
                marker={
                    "size": style.marker_size + 6,
                    "color": colour_for(cid),
                    "symbol": "square",
                    "line": {"width": 1.5, "color": OUTLINE},
                },
                hovertemplate=f"{cond.name}<br>%{{x}}<br>{src[:160]}<extra></extra>",
            )
        )
        said.append(f"{cond.short_name}: {', '.join(REGION_LABELS[r].lower() for r in present)}")
    _layout(fig, style, len(conditions), "", "Where the pain is")
    fig.update_xaxes(categoryorder="array", categoryarray=[REGION_LABELS[r] for r in regions], tickangle=-30, showgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=[kb.conditions[c].short_name for c in conditions])
    summary = "Pain location by condition: " + "; ".join(said) + "."
    return Chart(fig, summary)


def rom_chart(kb: KnowledgeBase, style: ChartStyle = NORMAL) -> Chart:
    """Normal range of motion per hip movement, one bar per source."""
    fig = go.Figure()
    movements: list[str] = []
    said = []
    for row in kb.overview.rom:
        if row.label not in movements:
            movements.append(row.label)
    for label in movements:
        rows = [r for r in kb.overview.rom if r.label == label]
        parts = []
        for r in rows:
            low = r.low if r.low is not None else (r.value or 0)
            high = r.high if r.high is not None else (r.value or low)
            ref = kb.references[r.ref]
            text = f"{low:g}–{high:g}°" if high != low else f"{low:g}°"
            parts.append(text)
            fig.add_trace(
                go.Bar(
                    y=[label],
                    x=[max(high - low, 1.5)],
                    base=[low],
                    orientation="h",
                    marker={"color": "#0072B2" if r.basis != "estimate" else "#999999", "line": {"color": OUTLINE, "width": 1}},
                    opacity=0.75,
                    width=0.5,
                    hovertemplate=f"{label}: {text}<br>{r.position or ''}<br>{ref.short}, {ref.design}<extra></extra>",
                )
            )
        said.append(f"{label.lower()} {' or '.join(parts)}")
    _layout(fig, style, len(movements), "Degrees", "Normal hip range of motion (one bar per source)")
    fig.update_layout(barmode="overlay")
    summary = "Normal hip range of motion: " + "; ".join(said) + "."
    return Chart(fig, summary)


def pct_label(probability: float) -> str:
    """A probability as a whole percentage; what would round to '0%' or '100%' (impossible, certain) reads '<1%' or '>99%'."""
    text = f"{probability * 100:.0f}%"
    if text == "0%":
        return "<1%"
    return ">99%" if text == "100%" and probability < 1 else text


def differential_chart(kb: KnowledgeBase, ranked: Sequence[Ranked], style: ChartStyle = NORMAL) -> Chart:
    """Horizontal bars of post-test probability, the pre-test probability as a dark tick on each, values in a column."""
    names = [kb.conditions[r.condition].short_name for r in ranked]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=names,
            x=[r.probability * 100 for r in ranked],
            orientation="h",
            marker={"color": [colour_for(r.condition) for r in ranked], "line": {"color": OUTLINE, "width": 1}},
            customdata=[[kb.conditions[r.condition].name, r.pretest * 100] for r in ranked],
            hovertemplate="%{customdata[0]}<br>post-test %{x:.1f}%<br>pre-test %{customdata[1]:.1f}%<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            y=names,
            x=[r.pretest * 100 for r in ranked],
            mode="markers",
            # An open symbol is stroked in marker.color: dark, so it shows on every bar colour.
            marker={"symbol": "line-ns-open", "color": OUTLINE, "size": style.marker_size + 8, "line": {"width": style.line_width}},
            hovertemplate="pre-test %{x:.1f}%<extra></extra>",
        )
    )
    # Each value just right of its bar or its pre-test tick, whichever ends later, so neither covers it.
    fig.add_trace(
        go.Scatter(
            y=names,
            x=[value_x(r.probability, r.pretest) for r in ranked],
            mode="text",
            text=[pct_label(r.probability) for r in ranked],
            textposition="middle right",
            textfont={"size": style.font_size},
            cliponaxis=False,  # ">99%" at the right edge is drawn whole on a narrow screen
            hoverinfo="skip",
        )
    )
    _layout(fig, style, len(ranked), "Probability (%) · dark tick: pre-test", "Ranked differential")
    fig.update_xaxes(range=[0, 118], tickvals=[0, 25, 50, 75, 100])
    top = ranked[0]
    leaders = tied_leaders(ranked)
    if len(leaders) > 1:
        names = " and ".join(kb.conditions[r.condition].name for r in leaders)
        head = f"Tied as most probable: {names} {pct_label(top.probability)}"
    else:
        head = f"Most probable: {kb.conditions[top.condition].name} {pct_label(top.probability)} (pre-test {pct_label(top.pretest)})"
    rest = ranked[len(leaders) : len(leaders) + 3]
    summary = head + "".join(f"; {kb.conditions[r.condition].short_name} {pct_label(r.probability)}" for r in rest) + "."
    return Chart(fig, summary)


def tied_leaders(ranked: Sequence[Ranked]) -> list[Ranked]:
    """The conditions that share the highest probability (one, unless the findings cannot separate them)."""
    if not ranked:
        return []
    return [r for r in ranked if math.isclose(r.probability, ranked[0].probability, rel_tol=1e-9, abs_tol=1e-12)]


def value_x(probability: float, pretest: float) -> float:
    """Where the differential chart writes a condition's value (x, in percent): past its bar and its pre-test tick."""
    return max(probability, pretest) * 100 + 2.5


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def fagan_chart(pretest: float, lr: float, post: float, *, label: str, style: ChartStyle = NORMAL) -> Chart:
    """A Fagan nomogram: pre-test probability, likelihood ratio and post-test probability on one line."""
    prob_ticks = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]
    # The likelihood-ratio scale is half as tall as the probability scales: decades only, or its labels collide.
    lr_ticks = [0.001, 0.01, 0.1, 1, 10, 100, 1000]
    fig = go.Figure()
    for x, ys, texts in (
        (0, [-_logit(p) for p in prob_ticks], [f"{p * 100:g}" for p in prob_ticks]),
        (1, [math.log(v) / 2 for v in lr_ticks], [f"{v:g}" for v in lr_ticks]),
        (2, [_logit(p) for p in prob_ticks], [f"{p * 100:g}" for p in prob_ticks]),
    ):
        fig.add_trace(
            go.Scatter(
                x=[x] * len(ys),
                y=ys,
                mode="markers+text",
                text=texts,
                textposition="middle left" if x < 2 else "middle right",
                marker={"symbol": "line-ew", "size": 10, "line": {"width": 1.5, "color": "#666666"}},
                textfont={"size": max(10, style.font_size - 4)},
                hoverinfo="skip",
            )
        )
        fig.add_shape(type="line", x0=x, x1=x, y0=min(ys), y1=max(ys), line={"color": "#666666", "width": 1.5})
    a, c = -_logit(pretest), _logit(post)
    fig.add_trace(
        go.Scatter(
            x=[0, 1, 2],
            y=[a, (a + c) / 2, c],
            mode="lines+markers",
            line={"color": "#D55E00", "width": style.line_width + 1},
            marker={"size": style.marker_size, "color": "#D55E00"},
            hovertemplate=[f"pre-test {pretest * 100:.1f}%", f"LR {lr:.2f}", f"post-test {post * 100:.1f}%"],
            name="",
        )
    )
    fig.update_layout(
        title={"text": label, "font": {"size": style.font_size + 2}},
        height=max(420, style.height(8)),
        showlegend=False,
        font={"size": style.font_size},
        margin={"l": 20, "r": 20, "t": 60 + style.font_size, "b": 30},
    )
    fig.update_xaxes(
        tickvals=[0, 1, 2],
        ticktext=["Pre-test %", "Likelihood ratio", "Post-test %"],
        range=[-0.6, 2.6],
        showgrid=False,
        zeroline=False,
        side="top",
        tickfont={"size": style.font_size},
    )
    fig.update_yaxes(visible=False)
    summary = (
        f"Fagan nomogram: pre-test {pct_label(pretest)} with a likelihood ratio of {lr:.2f} "
        f"gives a post-test probability of {pct_label(post)}."
    )
    return Chart(fig, summary)


FOREST_WRAP = 28
"""Characters per line of a test's label on the likelihood-ratio chart (up to three lines, whole words)."""
LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)


def forest_labels(kb: KnowledgeBase, tests: Sequence[DiagnosticTest]) -> list[str]:
    """One label per test row: its name and condition, wrapped at whole words, never cut mid-word.

    A long name's closing parenthesis is dropped when it only explains the name, and kept up to its colon
    when it says what kind of test it is ("FAIR test (electrodiagnostic: ...)" stays "FAIR test
    (electrodiagnostic)"); the hover keeps the full name. Rows that would read the same say which source or
    reference standard they are, and any that still match get their row's id, so the chart has one row per
    test row.
    """
    nbsp = "\u00a0"

    def base(t: DiagnosticTest) -> str:
        name = t.name
        if len(name) > 40:
            match = re.search(r"\s*\(([^()]*)\)\s*$", name)
            if match:
                before = match.group(1).split(":")[0].strip() if ":" in match.group(1) else ""
                kind = before if before.isalpha() else ""  # one word such as "electrodiagnostic", never a fragment
                name = name[: match.start()] + (f" ({kind})" if kind else "")
        return f"{name} ({kb.conditions[t.condition].short_name.replace(' ', nbsp)})"

    def source(t: DiagnosticTest) -> str:
        return kb.references[t.ref].short.replace(" ", nbsp)

    def apart(texts: list[str], suffix: Callable[[DiagnosticTest, list[DiagnosticTest]], str]) -> list[str]:
        out = []
        for t, text in zip(tests, texts, strict=True):
            twins = [u for u, other in zip(tests, texts, strict=True) if other == text]
            out.append(text + suffix(t, twins) if len(twins) > 1 else text)
        return out

    def by_source(t: DiagnosticTest, twins: list[DiagnosticTest]) -> str:
        same_ref = len({source(u) for u in twins}) < len(twins)
        return f" · vs {first_words(t.reference_standard, 30)}" if same_ref else f" · {source(t)}"

    # Told apart by source or reference standard, then by row id if two rows still read the same.
    texts = apart(apart([base(t) for t in tests], by_source), lambda t, _: f" [{t.id}]")
    # A number keeps its unit on its line ("10.3 mm" is joined by a no-break space, which textwrap does not split).
    texts = [re.sub(r"(\d) (mm|cm|deg|degrees|s)\b", f"\\1{nbsp}\\2", text) for text in texts]
    return ["<br>".join(textwrap.wrap(text, FOREST_WRAP, break_long_words=False, break_on_hyphens=False)) for text in texts]


def forest_chart(kb: KnowledgeBase, tests: Sequence[DiagnosticTest], style: ChartStyle = NORMAL) -> Chart:
    """LR+ and LR- of each test on a log axis (one trace each), confidence intervals where reported."""
    from components.diagnosis import DiagnosisInputError, test_lr

    fig = go.Figure()
    labels = forest_labels(kb, tests)
    drawn: list[float] = []  # every ratio and interval end on the chart, for the axis's ticks
    for positive, symbol, colour, name in ((True, "triangle-up", "#0072B2", "LR+"), (False, "triangle-down", "#D55E00", "LR−")):
        xs, ys, hovers, plus, minus = [], [], [], [], []
        for t, label in zip(tests, labels, strict=True):
            try:
                lr = test_lr(t, positive=positive)
            except DiagnosisInputError:
                continue
            low = t.lr_pos_low if positive else t.lr_neg_low
            high = t.lr_pos_high if positive else t.lr_neg_high
            published = (t.lr_pos if positive else t.lr_neg) is not None
            ref = kb.references[t.ref]
            xs.append(lr)
            ys.append(label)
            drawn += [lr, *(x for x in (low, high) if x)]
            plus.append(high - lr if high is not None and low is not None else 0)
            minus.append(lr - low if high is not None and low is not None else 0)
            hovers.append(
                f"{t.name}<br>{name} {lr:.2f}{'' if published else ' (from sensitivity and specificity)'}<br>{ref.short}, {ref.design}"
            )
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=name,
                hovertext=hovers,
                hoverinfo="text",
                marker={"symbol": symbol, "size": style.marker_size, "color": colour, "line": {"width": 1, "color": OUTLINE}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": plus,
                    "arrayminus": minus,
                    "thickness": style.line_width,
                    "color": colour,
                },
            )
        )
    fig.add_vline(x=1, line={"color": "#777777", "dash": "dot"})
    _layout(fig, style, len(tests), "Likelihood ratio (log scale): ▲ LR+ (positive result), ▼ LR− (negative result)", "Likelihood ratios")
    # Rows tall enough for the longest wrapped label; every tick labelled in full (0.05, not a bare 5).
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    row = max(style.height_per_row, round(lines * style.font_size * 1.3) + 10)
    fig.update_layout(height=max(style.min_height, 110 + row * len(tests)))
    low, high = (min(drawn), max(drawn)) if drawn else (0.1, 10)
    ticks = [v for v in LOG_TICKS if low / 2.5 <= v <= high * 2.5]
    fig.update_xaxes(type="log", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    summary = f"Likelihood ratios of {len(tests)} test rows; values far from 1 move the probability most (LR+ above 5 or LR− below 0.2)."
    return Chart(fig, summary)
