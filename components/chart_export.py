"""Static images of plotly figures, drawn by Kaleido driving the system's Chromium (pure: no streamlit).

Kaleido 1.x starts a Chromium through choreographer. Neither may download a browser here, so the
browser is found on this machine (Debian's /usr/bin/chromium) and passed to Kaleido by path.
Everything returns None instead of raising when there is no browser or drawing fails, so that a
handout or a slide deck can always be made, with a fallback in place of the pictures.

Set HIPLENS_NO_BROWSER=1 to behave as if no browser were installed (tests and demonstrations);
set BROWSER_PATH to use a browser that is not on PATH.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from typing import Literal

import plotly.graph_objects as go

NO_BROWSER_ENV = "HIPLENS_NO_BROWSER"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DEFAULT_HEIGHT = 450
RENDER_TIMEOUT = 30.0  # seconds for one figure, inside Kaleido
OVERALL_TIMEOUT = 120.0  # seconds for a whole batch, including the browser's start
ImageFormat = Literal["png", "svg", "jpeg", "webp", "pdf"]

_log = logging.getLogger(__name__)
# One Chromium at a time per process: the machine has two cores. The lock holds no user data.
_one_browser = threading.BoundedSemaphore(1)


def find_browser(browser: bool | str = True) -> str | None:
    """The Chromium to draw with: a given path, else BROWSER_PATH, else one on PATH; None when hidden or absent."""
    if browser is False or os.environ.get(NO_BROWSER_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
        return None
    candidates: list[str] = []
    if isinstance(browser, str):
        candidates.append(browser)
    else:
        if env_path := os.environ.get("BROWSER_PATH", "").strip():
            candidates.append(env_path)
        candidates.extend(p for p in (shutil.which(name) for name in BROWSER_NAMES) if p)
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _height_of(figure: go.Figure, height: int | None) -> int:
    if height:
        return int(height)
    own = figure.layout.height
    return int(own) if own else DEFAULT_HEIGHT


async def _render(path: str, figures: Sequence[go.Figure], opts: Sequence[dict[str, object]], timeout: float) -> list[bytes]:
    import kaleido  # imported late: it is only needed when someone asks for a file

    # mathjax=False: Kaleido's default page would load MathJax from a CDN. plotly.js comes from
    # the installed plotly package (a file:// URL), so drawing needs no network.
    async with kaleido.Kaleido(n=1, timeout=timeout, mathjax=False, path=path, headless=True) as k:
        return [await k.calc_fig(fig, opts=opt) for fig, opt in zip(figures, opts, strict=True)]  # type: ignore[arg-type]


EXPORT_TEMPLATE = "plotly_white"


def for_export(figure: go.Figure) -> go.Figure:
    """A copy of a figure that draws the same anywhere: a fixed template and axes that fit their labels.

    Importing Streamlit makes its own template plotly's default; its colours are placeholders that only
    the app's front end fills in, and its axes do not grow to fit their labels.
    """
    fig = go.Figure(figure)
    fig.update_layout(template=EXPORT_TEMPLATE)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def render_images(
    figures: Sequence[go.Figure],
    *,
    width: int | Sequence[int],
    height: int | Sequence[int] | None = None,
    format: ImageFormat = "png",
    scale: float = 1.0,
    browser: bool | str = True,
    timeout: float = OVERALL_TIMEOUT,
) -> list[bytes] | None:
    """Images of several figures drawn by one browser start; None if any cannot be drawn.

    width and height are one size for all or one per figure; without a height each figure keeps its own.
    """
    if not figures:
        return []
    path = find_browser(browser)
    if path is None:
        return None
    figs = [for_export(f) for f in figures]  # copies: the caller's figures stay as they are
    widths = [int(width)] * len(figs) if isinstance(width, int) else [int(w) for w in width]
    heights = [height] * len(figs) if height is None or isinstance(height, int) else list(height)
    if len(widths) != len(figs) or len(heights) != len(figs):
        raise ValueError("one width and one height per figure, or one for all")
    opts = [
        {"format": format, "width": w, "height": _height_of(f, h), "scale": scale} for f, w, h in zip(figs, widths, heights, strict=True)
    ]
    result: dict[str, object] = {}

    def work() -> None:
        try:
            result["images"] = asyncio.run(_render(path, figs, opts, min(RENDER_TIMEOUT, timeout)))
        except BaseException as exc:  # any failure of the browser means: no pictures
            result["error"] = exc
        finally:
            _one_browser.release()  # released by the worker, so a timed-out drawing still holds it

    if not _one_browser.acquire(timeout=timeout):
        _log.warning("chart images: another drawing is still running; giving up")
        return None
    # A thread of its own: the caller may be inside a running event loop (Streamlit's download callback).
    thread = threading.Thread(target=work, name="hiplens-kaleido", daemon=True)
    try:
        thread.start()
    except RuntimeError:
        _one_browser.release()
        return None
    thread.join(timeout)
    if thread.is_alive():
        _log.warning("chart images: the browser did not finish within %.0f s", timeout)
        return None
    if "error" in result:
        _log.warning("chart images could not be drawn with %s: %s", path, result["error"])
        return None
    images = result.get("images")
    if not isinstance(images, list) or len(images) != len(figs) or not all(isinstance(b, bytes) and b for b in images):
        return None
    return images


def chart_image(
    figure: go.Figure,
    *,
    width: int,
    height: int | None = None,
    format: ImageFormat = "png",
    scale: float = 1.0,
    browser: bool | str = True,
) -> bytes | None:
    """One figure as an image (png, svg, ...), or None when no browser can draw it."""
    images = render_images([figure], width=width, height=height, format=format, scale=scale, browser=browser)
    return images[0] if images else None
