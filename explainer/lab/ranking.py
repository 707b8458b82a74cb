"""The Compare page's ranking: remedies ordered by how close their per-layer decay factor is to 1. Pure pandas."""

from __future__ import annotations

import math

import pandas as pd

from explainer.experiments.summary import ProfileSummary

COLUMNS = ("remedy", "decay per layer", "first/last ratio", "verdict", "|log10 decay|")


def ranking(summaries: list[tuple[str, ProfileSummary]]) -> pd.DataFrame:
    """One row per variant: decay per layer, first/last ratio and verdict, sorted by |log10(decay)| (stable)."""
    rows = []
    for label, s in summaries:
        distance = abs(math.log10(s.decay_per_layer)) if s.decay_per_layer > 0 else math.inf
        rows.append(dict(zip(COLUMNS, (label, s.decay_per_layer, s.first_last_ratio, s.verdict, distance),
                             strict=True)))
    return pd.DataFrame(rows, columns=list(COLUMNS)).sort_values("|log10 decay|", kind="stable").reset_index(drop=True)
