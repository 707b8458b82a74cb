"""One colour-blind-safe colour per series, the same on every page (Okabe & Ito 2008, "Color Universal Design").

A series keeps its colour wherever it appears: ReLU is blue on the Activations page and on Compare remedies,
BatchNorm is green on BatchNorm & residual and on Compare remedies, and so on. The problem case (sigmoid, the
baseline, no clipping, λ = 0) is grey so the remedies stand out against it.
"""

from __future__ import annotations

# Okabe–Ito: distinguishable under protanopia, deuteranopia and tritanopia.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"
DARK_YELLOW = "#B59A00"  # Okabe–Ito yellow (#F0E442) darkened: the original is too pale for a thin line on white

# The colour of each remedy (and of "no remedy"), used by every page that shows it.
REMEDY_COLORS: dict[str, str] = {
    "baseline": GREY,
    "activations": BLUE,
    "initialization": ORANGE,
    "batchnorm": BLUISH_GREEN,
    "residual": VERMILLION,
    "gating": REDDISH_PURPLE,
    "clipping": SKY_BLUE,
    "weight_decay": DARK_YELLOW,
}

# Series label (as shown in legends) -> colour. Labels are unique across pages on purpose.
SERIES_COLORS: dict[str, str] = {
    # activations: sigmoid is the problem case; ReLU carries the "activations" remedy colour
    "sigmoid": GREY,
    "tanh": ORANGE,
    "ReLU": BLUE,
    "Leaky ReLU": SKY_BLUE,
    "ELU": BLUISH_GREEN,
    "GELU": REDDISH_PURPLE,
    "linear": BLACK,
    # initialisations
    "PyTorch default": GREY,
    "zeros": BLACK,
    "small normal": SKY_BLUE,
    "large normal": VERMILLION,
    "Xavier uniform": REDDISH_PURPLE,
    "Xavier normal": REDDISH_PURPLE,
    "He uniform": ORANGE,
    "He normal": ORANGE,
    "orthogonal": BLUISH_GREEN,
    # normalisation / skip connections
    "plain": GREY,
    "BatchNorm": BLUISH_GREEN,
    "residual": VERMILLION,
    "BatchNorm + residual": BLUE,
    # recurrent cells
    "tanh RNN": GREY,
    "ReLU RNN": BLACK,
    "LSTM": REDDISH_PURPLE,
    "GRU": BLUE,
    # clipping
    "no clipping": GREY,
    "clip by norm": SKY_BLUE,
    "clip by value": ORANGE,
    # compare remedies (one colour per remedy)
    "baseline": REMEDY_COLORS["baseline"],
    "non-saturating activation": REMEDY_COLORS["activations"],
    "careful init": REMEDY_COLORS["initialization"],
    "batch norm": REMEDY_COLORS["batchnorm"],
    "skip connections": REMEDY_COLORS["residual"],
    # transformer norm placement: Post-LN is the problem case without warm-up
    "Post-LN": GREY,
    "Pre-LN": BLUE,
    "no norm": BLACK,
    # mixed precision: float32 is the reference, float16 without scaling the problem case
    "float32": BLACK,
    "float16, no scaling": GREY,
    "float16, fixed scaling": ORANGE,
    "float16, dynamic scaling": SKY_BLUE,
    "bfloat16": BLUISH_GREEN,
    # digits: the baseline, BatchNorm and residual keep their colours above; the other remedies take theirs
    "ReLU + He": REMEDY_COLORS["activations"],
    "tanh + Xavier": REMEDY_COLORS["initialization"],
}

# Ordered light-to-dark, colour-blind-safe ramp (viridis stops) for ordinal series such as L2 strengths.
SEQUENTIAL: tuple[str, ...] = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")

FALLBACK: tuple[str, ...] = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, DARK_YELLOW, BLACK)


def colors_for(labels: list[str]) -> list[str]:
    """Colour of each label, in order; labels without a fixed colour take unused Okabe–Ito colours."""
    spare = [c for c in FALLBACK if c not in {SERIES_COLORS.get(lab) for lab in labels}]
    out = []
    for label in labels:
        if label in SERIES_COLORS:
            out.append(SERIES_COLORS[label])
        else:
            out.append(spare.pop(0) if spare else GREY)
    return out


def ordinal_colors(labels: list[str], first_is_baseline: bool = True) -> list[str]:
    """Colours for ordered series (e.g. λ = 0 < 1e-3 < 1e-2): grey baseline, then a light-to-dark ramp."""
    ramp = SEQUENTIAL[1:]  # the palest stop is too faint for a line on white
    head = [GREY] if first_is_baseline and labels else []
    rest = len(labels) - len(head)
    if rest <= 1:
        return head + [ramp[-1]] * rest
    return head + [ramp[round(i * (len(ramp) - 1) / (rest - 1))] for i in range(rest)]
