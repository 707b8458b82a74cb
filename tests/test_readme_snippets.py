"""The README's notebook snippet is what a newcomer pastes first: it must run as written."""

from __future__ import annotations

import re

import pandas as pd

from tests.conftest import ROOT


def python_blocks(path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_readme_notebook_snippet_runs_and_charts_a_vanishing_sigmoid_net():
    [block] = python_blocks(ROOT / "README.md")
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    df = namespace["df"]
    assert isinstance(df, pd.DataFrame) and df["seed"].nunique() == 8
    summary = namespace["summarize_profile"](df)
    assert summary.verdict == "vanishing"
    chart = namespace["chart"].to_dict()  # a valid Vega-Lite spec with both series in the legend's domain
    assert chart["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["sigmoid", "relu + He"]
