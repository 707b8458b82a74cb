"""Assemble an experiment's variants into a standalone script or an .ipynb notebook (cells of plain PyTorch)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from explainer.experiments.configs import (
    DigitsConfig,
    MLPConfig,
    PhaseConfig,
    PrecisionTrainConfig,
    RNNConfig,
    TrainConfig,
    TransformerTrainConfig,
)
from explainer.lab.export import source_common as common
from explainer.lab.export import source_digits as digits
from explainer.lab.export import source_mlp as mlp
from explainer.lab.export import source_phase as phase
from explainer.lab.export import source_precision as precision
from explainer.lab.export import source_rnn as rnn
from explainer.lab.export import source_train as train
from explainer.lab.export import source_transformer as transformer
from explainer.lab.export.cell import Cell

CONFIGS = {"mlp": MLPConfig, "rnn": RNNConfig, "train": TrainConfig, "phase": PhaseConfig,
           "transformer": TransformerTrainConfig, "precision": PrecisionTrainConfig, "digits": DigitsConfig}
KINDS = tuple(CONFIGS)
TITLES = {
    "mlp": "per-layer gradient norms of a deep MLP",
    "rnn": "gradient norms back through time in a recurrent net",
    "train": "full-batch training with gradient clipping and weight decay",
    "phase": "the phase diagram of a deep net (ordered, critical, chaotic)",
    "transformer": "Post-LN vs Pre-LN transformer stacks, with and without warm-up",
    "precision": "mixed precision: float16 underflow and loss scaling",
    "digits": "does a vanishing gradient hurt learning? Deep nets on handwritten digits",
}
ABOUT = (
    "Plain PyTorch, no Gradient Lab import: one `nn.Module` per seed of each variant, the app's initialisation, "
    "data and seeds (the same numpy/torch random streams, draw for draw), `loss.backward()`, and the norms read "
    "from `.grad`. It runs one seed at a time with autograd, so it is slower than the app's batched engine, but "
    "the numbers match the app's up to floating-point rounding."
)
# The one-pass labs: their module gives the program's ABOUT text and its cells after the random streams (body()).
ONE_PASS = {"phase": phase, "transformer": transformer, "precision": precision, "digits": digits}
NEEDS = "torch, numpy, pandas and altair (pip install torch numpy pandas altair)"
NEEDS_DIGITS = "torch, numpy, pandas, altair and scikit-learn (pip install torch numpy pandas altair scikit-learn)"


def full_configs(kind: str, variants: Sequence[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Each variant's config with every default filled in (validated by the engine's own config classes)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    if not variants:
        raise ValueError("no variants to export")
    out = []
    for label, cfg in variants:
        dumped = CONFIGS[kind].model_validate(cfg).model_dump()
        if kind in ("mlp", "rnn"):
            dumped.pop("kind")
        out.append((str(label), dumped))
    return out


WIDTH = 110  # line length of the generated code


def _dict_call(d: dict, indent: int) -> str:
    """`dict(key=value, ...)` wrapped at WIDTH, continuation lines aligned after `dict(` (nested dicts too)."""
    tokens = []
    for key, value in d.items():
        inner = _dict_call(value, indent + 5 + len(key) + 1) if isinstance(value, dict) else repr(value)
        tokens.append(f"{key}={inner}")
    pad = " " * (indent + 5)
    lines, line = [], ""
    for i, token in enumerate(tokens):
        piece = token + ("," if i < len(tokens) - 1 else ")")
        if line and ("\n" in piece or indent + 5 + len(line) + 1 + len(piece.split("\n")[0]) > WIDTH):
            lines.append(line)
            line = ""
        line = f"{line} {piece}" if line else piece
    lines.append(line)
    return "dict(" + f"\n{pad}".join(lines)


def _variants_code(configs: list[tuple[str, dict]]) -> str:
    """VARIANTS = [(label, dict(...)), ...], one variant per entry, readable and editable."""
    rows = [f"    ({label!r}, {_dict_call(cfg, 4 + len(repr(label)) + 3)})," for label, cfg in configs]
    return "VARIANTS = [\n" + "\n".join(rows) + "\n]\n"


def cells(kind: str, variants: Sequence[tuple[str, dict]], title: str = "") -> list[Cell]:
    """The program as notebook cells: setup, variants, random streams, model, run, summary, chart."""
    configs = full_configs(kind, variants)
    about = ONE_PASS[kind].ABOUT if kind in ONE_PASS else ABOUT
    needs = NEEDS_DIGITS if kind == "digits" else NEEDS
    scales_own = kind in ("phase", "transformer")  # these draw plain N(0, 1) numbers and scale them themselves
    heading = f"# Gradient Lab: {title or TITLES[kind]}\n\n{about}\n\nNeeds {needs}."
    out = [
        Cell(heading, code=False),
        Cell(common.IMPORTS),
        Cell("## The variants\n\nOne engine config per variant, as set on the page (change any value and rerun).",
             code=False),
        Cell(_variants_code(configs)),
        Cell(f"## Random streams{'' if scales_own else ' and initialisation'}\n\nEach (seed, stream) has its own "
             "generators, so seed 3 draws the same numbers alone or next to other seeds, and the data do not change "
             "with the init.", code=False),
        Cell(common.STREAMS),
    ]
    if scales_own:
        return out + ONE_PASS[kind].body()
    out += [Cell(common.INIT)]
    if kind in ONE_PASS:
        return out + ONE_PASS[kind].body()
    out += [Cell("## Data and model", code=False)]
    if kind == "mlp":
        out += [Cell(mlp.DATA), Cell(mlp.MODEL), Cell("## One forward and backward pass per seed", code=False),
                Cell(mlp.PROFILE), Cell(mlp.RUN, show="results.head()")]
        summary, chart = (mlp.SUMMARY, mlp.SUMMARY_CALL), mlp.CHART
    elif kind == "rnn":
        out += [Cell(rnn.MODEL), Cell("## Backpropagation through time, one seed at a time", code=False),
                Cell(rnn.PROFILE), Cell(rnn.RUN, show="results.head()")]
        summary, chart = (rnn.SUMMARY, rnn.SUMMARY_CALL), rnn.CHART
    else:
        nets = {cfg["model"]["kind"] for _, cfg in configs}
        if "mlp" in nets:
            out += [Cell(mlp.DATA), Cell(mlp.MODEL)]
        if "rnn" in nets:
            out += [Cell(rnn.MODEL)]
        out += [Cell("## Training, one seed at a time", code=False), Cell(train.TRAIN),
                Cell(train.RUN, show="results.head()")]
        summary, chart = (train.SUMMARY, train.SUMMARY_CALL), train.CHART
    out += [
        Cell("## Summary", code=False),
        Cell(summary[0], show=summary[1]),
        Cell("## Chart: median over seeds and the 10-90 % band", code=False),
        Cell(common.BAND_CHART),
        Cell(chart, show="chart", chart=True),
    ]
    return out


def _comment(markdown: str) -> str:
    """Markdown as a comment block, wrapped at WIDTH (backticks dropped)."""
    lines = []
    for line in markdown.replace("`", "").splitlines():
        lines += textwrap.wrap(line, WIDTH - 2) or [""]
    return "\n".join(f"# {line}".rstrip() for line in lines)


def script(kind: str, variants: Sequence[tuple[str, dict]], title: str = "",
           chart_file: str = "gradient_lab_chart.html") -> str:
    """The experiment as one runnable Python file: prints the summary table and saves the chart as HTML."""
    parts = []
    for cell in cells(kind, variants, title):
        if not cell.code:
            parts.append(_comment(cell.text))
            continue
        text = cell.text.rstrip() + "\n"
        if cell.chart:
            text += f"{cell.show}.save({chart_file!r})\nprint(\"chart saved to {chart_file}\")\n"
        elif cell.show and not cell.show.endswith(".head()"):
            text += f"print({cell.show}.to_string(index=False))\n"
        parts.append(text.rstrip())
    head = '"""Gradient Lab experiment, exported as plain PyTorch (generated; needs no Gradient Lab install)."""'
    return head + "\n\n" + "\n\n".join(parts) + "\n"


def notebook(kind: str, variants: Sequence[tuple[str, dict]], title: str = ""):
    """The experiment as an nbformat v4 notebook (unexecuted), one cell per step."""
    import nbformat

    nb_cells = []
    for cell in cells(kind, variants, title):
        if not cell.code:
            nb_cells.append(nbformat.v4.new_markdown_cell(cell.text))
            continue
        source = cell.text.rstrip()
        if cell.show:
            defines = source.startswith(("def ", "class ")) or "\ndef " in source
            source += ("\n\n\n" if defines else "\n") + cell.show
        nb_cells.append(nbformat.v4.new_code_cell(source))
    nb = nbformat.v4.new_notebook(cells=nb_cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb
