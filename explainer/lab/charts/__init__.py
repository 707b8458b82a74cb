"""Charts for the lab pages: tidy DataFrame -> Altair chart, plus one-sentence summaries. No streamlit here."""

from explainer.lab.charts.bands import band_frame, first_divergence, median_by
from explainer.lab.charts.lines import LEGEND_PICK, band_chart, band_spec
from explainer.lab.charts.summaries import level_sentence, profile_sentence, sci, training_sentence

__all__ = [
    "LEGEND_PICK", "band_chart", "band_frame", "band_spec", "first_divergence", "level_sentence", "median_by",
    "profile_sentence", "sci", "training_sentence",
]
