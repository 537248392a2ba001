"""Glossary helpers: find glossary terms in a text, search, group and order terms (pure: no streamlit)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from components.knowledge.models import GlossaryTerm

KIND_LABELS: Mapping[str, str] = {
    "anatomy": "Anatomy",
    "clinical": "Clinical terms",
    "test": "Special tests",
    "statistics": "Statistics of diagnosis",
    "imaging": "Imaging",
}
MIN_NAME_LENGTH = 2


def names_of(term: GlossaryTerm) -> tuple[str, ...]:
    """The term and its aliases, as written."""
    return (term.term, *term.aliases)


def _pattern(name: str) -> re.Pattern[str]:
    """A pattern matching a name as whole words; hyphens and spaces are interchangeable.

    Acronyms (all capitals, such as FAIR or OA) match with their case only, so that ordinary words
    ("fair") are not taken for them; other names match in any case.
    """
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", name.strip()) if p]
    body = r"[\s\-]+".join(parts)
    flags = 0 if name.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w\-]){body}(?![\w])", flags)


@lru_cache(maxsize=4096)
def _compiled(name: str) -> re.Pattern[str]:
    return _pattern(name)


def find_terms(glossary: Mapping[str, GlossaryTerm], text: str, *, exclude: Iterable[str] = ()) -> list[str]:
    """Ids of glossary terms named in a text (term or alias, whole words), in order of first mention.

    Longer names win over shorter ones they contain ("acetabular labrum" before "labrum"), and one
    stretch of text counts for one term only.
    """
    if not text:
        return []
    skipped = set(exclude)
    candidates: list[tuple[str, str]] = [
        (name, tid) for tid, term in glossary.items() if tid not in skipped for name in names_of(term) if len(name) >= MIN_NAME_LENGTH
    ]
    candidates.sort(key=lambda item: -len(item[0]))
    taken: list[tuple[int, int]] = []
    first_seen: dict[str, int] = {}
    for name, tid in candidates:
        for match in _compiled(name).finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            if tid not in first_seen or start < first_seen[tid]:
                first_seen[tid] = start
    return sorted(first_seen, key=first_seen.__getitem__)


def find_terms_in(glossary: Mapping[str, GlossaryTerm], texts: Iterable[str], *, exclude: Iterable[str] = ()) -> list[str]:
    """Ids of glossary terms named in any of several texts, in order of first mention across them."""
    seen: list[str] = []
    for text in texts:
        for tid in find_terms(glossary, text, exclude=exclude):
            if tid not in seen:
                seen.append(tid)
    return seen


def _fold(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.casefold()).strip()


def search(glossary: Mapping[str, GlossaryTerm], query: str) -> list[GlossaryTerm]:
    """Terms whose name, alias or definition contains the query (case-insensitive).

    Best matches first: a name equal to the query, then names starting with it, then names
    containing it, then definitions containing it.
    """
    q = _fold(query or "")
    if not q:
        return list(glossary.values())
    ranked: list[tuple[int, int, GlossaryTerm]] = []
    for order, term in enumerate(glossary.values()):
        names = [_fold(n) for n in names_of(term)]
        if q in names:
            rank = 0
        elif any(n.startswith(q) for n in names):
            rank = 1
        elif any(q in n for n in names):
            rank = 2
        elif q in _fold(term.definition):
            rank = 3
        else:
            continue
        ranked.append((rank, order, term))
    return [t for _, _, t in sorted(ranked, key=lambda x: (x[0], x[1]))]


def group_by_kind(terms: Sequence[GlossaryTerm]) -> dict[str, list[GlossaryTerm]]:
    """Terms grouped by kind in KIND_LABELS order, alphabetical within a kind; empty kinds are left out."""
    groups: dict[str, list[GlossaryTerm]] = {}
    for kind in KIND_LABELS:
        items = sorted((t for t in terms if t.kind == kind), key=lambda t: t.term.casefold())
        if items:
            groups[kind] = items
    return groups


def with_first(terms: Sequence[GlossaryTerm], first: str | None) -> tuple[GlossaryTerm | None, list[GlossaryTerm]]:
    """Split off the looked-up term (if it is among the terms) from the rest."""
    chosen = next((t for t in terms if t.id == first), None) if first else None
    return chosen, [t for t in terms if chosen is None or t.id != chosen.id]
