"""The shape of the code: one-way imports, thin pages, no raw HTML from data."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PURE = [p for p in (ROOT / "components").rglob("*.py") if "ui" not in p.relative_to(ROOT / "components").parts]
UI = list((ROOT / "components" / "ui").rglob("*.py"))
PAGES = list((ROOT / "pages").glob("*.py"))


def imports(path: Path) -> set[str]:
    """Top-level module names a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_pure_modules_never_import_streamlit_or_ui() -> None:
    assert PURE
    for path in PURE:
        mods = imports(path)
        assert not any(m == "streamlit" or m.startswith("streamlit.") for m in mods), path
        assert not any(m.startswith("components.ui") for m in mods), path


def test_nothing_in_components_imports_a_page() -> None:
    for path in PURE + UI:
        assert not any(m == "pages" or m.startswith("pages.") for m in imports(path)), path


def test_pages_are_thin() -> None:
    for path in PAGES:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert len(lines) <= 100, (path, len(lines))


def test_no_unsafe_html_and_st_html_only_for_the_static_style_sheet() -> None:
    for path in [*ROOT.glob("*.py"), *PAGES, *PURE, *UI]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "html":
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id == "st":
                    assert path.name == "lecture.py", path
                    assert isinstance(node.args[0], ast.Name) and node.args[0].id == "LECTURE_CSS", path


def test_the_static_style_sheet_is_one_literal_string() -> None:
    """LECTURE_CSS, the one text given to st.html, is a plain literal: nothing from data, files or the URL can enter it."""
    tree = ast.parse((ROOT / "components" / "ui" / "lecture.py").read_text(encoding="utf-8"))
    values = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "LECTURE_CSS" for t in targets):
            values.append(node.value)
    assert len(values) == 1, "LECTURE_CSS is assigned exactly once"
    assert isinstance(values[0], ast.Constant) and isinstance(values[0].value, str), "a plain string literal: no f-string, join or format"


def test_public_functions_have_docstrings_and_types() -> None:
    for path in PURE + UI:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                assert ast.get_docstring(node), f"{path}:{node.name} has no docstring"
                assert node.returns is not None, f"{path}:{node.name} has no return type"
