"""Output safety helpers shared by every export (pure)."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """Neutralise a text cell that a spreadsheet would run as a formula; numbers stay as they are."""
    if not text or not text.startswith(FORMULA_PREFIXES):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~:$^=\"'&")


def md_escape(text: str) -> str:
    """Escape text so Streamlit Markdown shows it literally (no links, HTML, directives or maths)."""
    out = []
    for ch in text.replace("\r", " ").replace("\n", " "):
        if ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def shorten(text: str, limit: int = 40) -> str:
    """Cut text to limit characters with an ellipsis (for echoing untrusted input)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
