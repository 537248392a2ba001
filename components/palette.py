"""One colour-blind-safe palette (Okabe-Ito) and a fixed colour for every condition (pure)."""

from __future__ import annotations

from collections.abc import Mapping

# Okabe & Ito (2008) categorical palette; black is replaced by grey so it shows on the dark theme too.
OKABE_ITO: tuple[str, ...] = (
    "#D55E00",  # vermillion
    "#0072B2",  # blue
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#999999",  # grey
)

CONDITION_COLOURS: Mapping[str, str] = {
    "ifi": OKABE_ITO[0],
    "dgs": OKABE_ITO[1],
    "lumbar_sciatica": OKABE_ITO[2],
    "fai": OKABE_ITO[3],
    "labral_tear": OKABE_ITO[4],
    "hip_oa": OKABE_ITO[5],
    "gluteal_tendinopathy": OKABE_ITO[6],
    "hamstring_tendinopathy": OKABE_ITO[7],
}
OUTLINE = "#333333"
COURSE_COLOUR = "#444444"
# Sequential scale for heatmaps (cividis: readable with colour-vision deficiency).
SEQUENTIAL = "cividis"


def colour_for(condition: str) -> str:
    """The fixed colour of a condition (grey for an unknown id)."""
    return CONDITION_COLOURS.get(condition, "#999999")
