"""Deep links: the parameters of every page, parsed from a query string and written back (pure).

One module owns the URL of every page. A page's view is read from ids (never labels); invalid
values are dropped with a notice and the valid rest applies; where what remains is not a view,
the parameter takes its default, with the notice. Nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlencode

from components.safety import shorten

ParamKind = Literal["id", "ids", "int", "bool", "choice", "float"]
MAX_VALUES = 64


@dataclass(frozen=True)
class ParamSpec:
    """One query parameter of a page."""

    name: str
    kind: ParamKind
    vocabulary: str | None = None  # name of the id list it draws from (conditions, features, ...)
    default: tuple[str, ...] | str | int | float | bool | None = None
    min_items: int = 0
    max_items: int = MAX_VALUES
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class PageSpec:
    """A page: its url path and the parameters it reads."""

    key: str
    url_path: str
    title: str
    params: tuple[ParamSpec, ...] = ()


LECTURE = ParamSpec("lecture", "bool", default=False, help="lecture mode: large type, no chrome (travels with every link)")
GLOBAL_PARAMS: tuple[ParamSpec, ...] = (LECTURE,)
DEFAULT_COMPARISON: tuple[str, ...] = ("ifi", "dgs", "lumbar_sciatica")

PAGES: Mapping[str, PageSpec] = {
    "overview": PageSpec("overview", "", "Overview"),
    "explorer": PageSpec(
        "explorer",
        "explorer",
        "Condition explorer",
        (ParamSpec("condition", "id", "conditions", default="ifi", help="the condition shown"),),
    ),
    "compare": PageSpec(
        "compare",
        "compare",
        "Comparison",
        (
            ParamSpec(
                "conditions",
                "ids",
                "conditions",
                default=DEFAULT_COMPARISON,
                min_items=2,
                max_items=8,
                help="two to eight conditions, in column order",
            ),
            ParamSpec("features", "ids", "features", default=(), min_items=1, help="features shown as rows (default: all)"),
            ParamSpec("step", "int", default=0, minimum=0, help="rows revealed in step-by-step mode (0: all)"),
        ),
    ),
    "charts": PageSpec(
        "charts",
        "charts",
        "Charts",
        (ParamSpec("conditions", "ids", "conditions", default=(), min_items=1, max_items=8, help="conditions charted (default: all)"),),
    ),
    "differential": PageSpec(
        "differential",
        "differential",
        "Differential",
        (
            ParamSpec("yes", "ids", "findings", default=(), help="findings present"),
            ParamSpec("no", "ids", "findings", default=(), help="findings absent"),
            ParamSpec("sex", "choice", default=None, choices=("female", "male"), help="patient's sex"),
            ParamSpec("age", "int", default=None, minimum=10, maximum=100, help="age in years"),
            ParamSpec("setting", "id", "settings", default=None, help="setting preset for pre-test probabilities"),
            ParamSpec("step", "int", default=0, minimum=0, help="findings revealed in step-by-step mode (0: all)"),
        ),
    ),
    "tests": PageSpec(
        "tests",
        "tests",
        "Special tests",
        (
            ParamSpec("conditions", "ids", "conditions", default=(), help="filter: target conditions (default: all)"),
            ParamSpec("test", "id", "tests", default=None, help="a test shown in detail"),
        ),
    ),
    "cases": PageSpec(
        "cases",
        "cases",
        "Teaching cases",
        (
            ParamSpec("case", "id", "cases", default=None, help="the case (its id does not reveal the diagnosis)"),
            ParamSpec("step", "int", default=0, minimum=0, maximum=3, help="stages disclosed: 0 history ... 3 answer"),
        ),
    ),
    "quiz": PageSpec(
        "quiz",
        "quiz",
        "Self-test",
        (
            ParamSpec("seed", "int", default=None, minimum=0, maximum=2**31 - 1, help="replays the same set of questions"),
            ParamSpec("question", "int", default=1, minimum=1, help="the question shown (1 is the first; past the last, the last)"),
        ),
    ),
    "flashcards": PageSpec(
        "flashcards",
        "flashcards",
        "Flashcards",
        (
            ParamSpec("deck", "choice", default="tests", choices=("tests", "anatomy"), help="special tests or anatomy terms"),
            ParamSpec("card", "int", default=0, minimum=0, maximum=999, help="card number in the deck"),
        ),
    ),
    "glossary": PageSpec(
        "glossary",
        "glossary",
        "Glossary",
        (ParamSpec("term", "id", "glossary", default=None, help="a term shown first"),),
    ),
    "sources": PageSpec(
        "sources",
        "sources",
        "Sources and data",
        (ParamSpec("conditions", "ids", "conditions", default=(), help="filter: references used for these conditions"),),
    ),
}


@dataclass(frozen=True)
class LinkState:
    """The outcome of reading a query string for one page."""

    values: Mapping[str, object]
    notices: tuple[str, ...] = field(default_factory=tuple)


def _echo(raw: str) -> str:
    return repr(shorten(raw, 40))


def _parse_bool(raw: str) -> bool | None:
    low = raw.strip().lower()
    if low in ("true", "1", "yes", "on"):
        return True
    if low in ("false", "0", "no", "off"):
        return False
    return None


def _parse_number(raw: str, spec: ParamSpec) -> float | None:
    text = raw.strip()
    if not text or len(text) > 12:
        return None
    try:
        number = float(text) if spec.kind == "float" else int(text, 10)
    except ValueError:
        return None
    if spec.minimum is not None and number < spec.minimum:
        return None
    if spec.maximum is not None and number > spec.maximum:
        return None
    return number


def parse_param(spec: ParamSpec, raws: Sequence[str], vocab: Mapping[str, Sequence[str]]) -> tuple[object, list[str]]:
    """The value of one parameter from its raw strings, and notices for what was dropped."""
    notices: list[str] = []
    name = spec.name
    if spec.kind == "ids":
        allowed = set(vocab.get(spec.vocabulary or "", ()))
        kept: list[str] = []
        for raw in raws[:MAX_VALUES]:
            value = raw.strip()
            if not value:
                notices.append(f"An empty '{name}' value was ignored.")
            elif value not in allowed:
                notices.append(f"'{name}': {_echo(raw)} is not a known id and was ignored.")
            elif value in kept:
                notices.append(f"'{name}': {_echo(raw)} was repeated; it is used once.")
            else:
                kept.append(value)
        if len(raws) > MAX_VALUES:
            notices.append(f"'{name}': only the first {MAX_VALUES} values were read.")
        if len(kept) > spec.max_items:
            notices.append(f"'{name}': at most {spec.max_items} values; the first {spec.max_items} are used.")
            kept = kept[: spec.max_items]
        if raws and len(kept) < max(spec.min_items, 1):
            default = list(spec.default or ()) if isinstance(spec.default, tuple) else []
            shown = ", ".join(default) if default else "all"
            need = f"at least {spec.min_items}" if spec.min_items > 1 else "a valid value"
            notices.append(f"'{name}' needs {need}; showing the default ({shown}).")
            return spec.default, notices
        return (tuple(kept) if kept else spec.default), notices
    if len(raws) > 1:
        notices.append(f"'{name}' was given {len(raws)} times; it takes one value, so the default is used.")
        return spec.default, notices
    raw = raws[0] if raws else ""
    if not raw.strip():
        notices.append(f"An empty '{name}' value was ignored.")
        return spec.default, notices
    if spec.kind == "id":
        allowed = set(vocab.get(spec.vocabulary or "", ()))
        if raw.strip() in allowed:
            return raw.strip(), notices
        notices.append(f"'{name}': {_echo(raw)} is not a known id; showing the default.")
        return spec.default, notices
    if spec.kind == "choice":
        if raw.strip() in spec.choices:
            return raw.strip(), notices
        notices.append(f"'{name}': {_echo(raw)} is not one of {', '.join(spec.choices)}; it was ignored.")
        return spec.default, notices
    if spec.kind == "bool":
        parsed = _parse_bool(raw)
        if parsed is None:
            notices.append(f"'{name}': {_echo(raw)} is not true or false; it was ignored.")
            return spec.default, notices
        return parsed, notices
    number = _parse_number(raw, spec)
    if number is None:
        bounds = ""
        if spec.minimum is not None or spec.maximum is not None:
            bounds = f" between {spec.minimum:g} and {spec.maximum:g}" if spec.maximum is not None else f" of at least {spec.minimum:g}"
        notices.append(f"'{name}': {_echo(raw)} is not a whole number{bounds}; it was ignored.")
        return spec.default, notices
    return number, notices


def read_page(page: str, query: Mapping[str, Sequence[str]], vocab: Mapping[str, Sequence[str]]) -> LinkState:
    """Read a page's view (and the global parameters) from a query string."""
    spec = PAGES[page]
    known = {p.name: p for p in (*spec.params, *GLOBAL_PARAMS)}
    values: dict[str, object] = {}
    notices: list[str] = []
    for key in query:
        if key not in known and not key.startswith("embed"):
            notices.append(f"{_echo(key)} is not a parameter of this page; it was ignored.")
    for name, pspec in known.items():
        raws = [str(v) for v in query.get(name, ())]
        if not raws:
            values[name] = pspec.default
            continue
        value, msgs = parse_param(pspec, raws, vocab)
        values[name] = value
        notices.extend(msgs)
    return LinkState(values, tuple(notices))


def to_query(page: str, values: Mapping[str, object]) -> dict[str, list[str]]:
    """The query string of a view (defaults omitted), as key -> list of values."""
    spec = PAGES[page]
    out: dict[str, list[str]] = {}
    for pspec in (*spec.params, *GLOBAL_PARAMS):
        value = values.get(pspec.name, pspec.default)
        if value is None:
            continue
        if pspec.kind in ("int", "float", "bool") and value == pspec.default:
            continue
        if pspec.kind == "ids":
            items = list(value) if isinstance(value, (list, tuple)) else []
            if items:
                out[pspec.name] = [str(v) for v in items]
        elif pspec.kind == "bool":
            if value:
                out[pspec.name] = ["true"]
        else:
            out[pspec.name] = [str(value)]
    return out


def page_url(page: str, values: Mapping[str, object] | None = None, *, base: str = "") -> str:
    """Relative (or absolute, with base) URL of a page showing a view."""
    path = PAGES[page].url_path
    query = to_query(page, values or {})
    qs = urlencode([(k, v) for k, vs in query.items() for v in vs])
    url = f"{base.rstrip('/')}/{path}"
    return f"{url}?{qs}" if qs else url


def flat_query(query: Mapping[str, Sequence[str]]) -> dict[str, str | list[str]]:
    """A query mapping in the shape st.query_params.from_dict expects."""
    return {k: (v[0] if len(v) == 1 else list(v)) for k, v in query.items()}
