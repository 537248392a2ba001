"""Generated query strings for every page (hypothesis strategies), shared by the CI test and the fuzz command."""

from __future__ import annotations

from hypothesis import strategies as st

from components.knowledge import load_knowledge
from components.links import GLOBAL_PARAMS, PAGES

_KB = load_knowledge()
IDS = sorted({*_KB.conditions, *_KB.features, *_KB.findings, *_KB.tests, *_KB.cases, *(p.id for p in _KB.settings.presets)})
PARAM_NAMES = sorted({p.name for spec in PAGES.values() for p in spec.params} | {p.name for p in GLOBAL_PARAMS})

value = st.one_of(
    st.sampled_from(IDS),
    st.sampled_from(["", " ", "true", "false", "0", "-1", "3", "99999999999999999999", "1e9", "nan", "None", "null"]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=5000),
    st.sampled_from(["<script>alert(1)</script>", "[x](javascript:alert(1))", ":red[boom]", "$x$", "%00", "../../etc/passwd", "ifi\nfai"]),
)
query = st.dictionaries(
    st.one_of(st.sampled_from(PARAM_NAMES), st.text(min_size=1, max_size=20)),
    st.lists(value, min_size=0, max_size=5),
    max_size=7,
)
page = st.sampled_from(sorted(PAGES))
