"""The README's notebook snippet is what a newcomer pastes first: it must run as written."""

from __future__ import annotations

import re

import pandas as pd

from tests.conftest import ROOT


def python_blocks(path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_readme_notebook_snippet_runs_and_charts_a_vanishing_sigmoid_net():
    block = python_blocks(ROOT / "README.md")[0]
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    df = namespace["df"]
    assert isinstance(df, pd.DataFrame) and df["seed"].nunique() == 8
    summary = namespace["summarize_profile"](df)
    assert summary.verdict == "vanishing"
    chart = namespace["chart"].to_dict()  # a valid Vega-Lite spec with both series in the legend's domain
    assert chart["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["sigmoid", "relu + He"]


def test_readme_diagnose_snippet_profiles_a_resnet_and_a_transformer():
    """The "Diagnose your own model" snippet runs as written and gives the verdicts its comments promise."""
    [block] = [b for b in python_blocks(ROOT / "README.md") if "profile_model" in b]
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    summarize = namespace["summarize_profile"]
    assert summarize(namespace["cnn"]).verdict == "healthy"
    attn = namespace["attn"]
    assert summarize(attn).verdict == "healthy" and attn["seed"].nunique() == 4
    gelu = attn[attn["module"].str.endswith("activation")]
    assert len(gelu) == 6 * 4 and gelu["saturated_frac"].between(0, 1).all()  # 6 layers x 4 seeds
    assert namespace["tracker"].verdicts()["step"].tolist() == [0, 10, 20]
    chart = namespace["chart"].to_dict()
    assert chart["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["ResNet", "Transformer"]
