"""Overview: the hip, its mobility, why it matters, and a map of the eight conditions."""

from components.ui.kb import get_kb
from components.ui.links import read_view, write_view
from components.ui.overview import overview_body

kb = get_kb()
read_view("overview", kb)
overview_body()
write_view("overview", {})
