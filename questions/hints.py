"""What a numeric question shows besides its prompt (form examples, the input's placeholder), never near its key.

A fixed example such as "0.25" leaked the key of "What is the maximum of sigmoid'?"; examples are now picked per
question from candidates, skipping any within the question's tolerance of the key (with a margin), and a test
checks every number a learner can see (prompt, examples, placeholder) the same way.
"""

from __future__ import annotations

import re

from questions.claims.mathtext import rewrite
from questions.schema import Numeric

CANDIDATES: dict[str, tuple[str, ...]] = {
    "decimal": ("3.7", "0.42", "12.5", "0.08"),
    "fraction": ("3/8", "2/3", "5/16"),
    "percent": ("40%", "7.5%", "65%"),
    "scientific": ("2.5e-4", "3×10^-2", "6.1e3"),
}
_NUMBER = re.compile(r"#([-+]?[\d.]+(?:e[-+]?\d+)?)|(?<![\w.#])(\d+(?:\.\d+)?)(?![\w.])")


def allowed(q: Numeric) -> float:
    """How far from the key an answer may be and still be graded correct."""
    return q.tolerance * abs(q.value) if q.relative else q.tolerance


def near_key(q: Numeric, x: float) -> bool:
    """Whether showing `x` would give the key away: within twice the tolerance, or 1 % of the key."""
    return abs(x - q.value) <= max(2 * allowed(q), 0.01 * abs(q.value), 1e-12)


def numbers_in(text: str) -> list[float]:
    """Every number a learner reads in `text`, in any notation ('1/4', '25%', '10^{-3}', '$9.5 \\times 10^{-7}$')."""
    out = []
    for m in _NUMBER.finditer(rewrite(text)):
        try:
            out.append(float(m[1] or m[2]))
        except ValueError:
            continue
    return out


def _value(example: str) -> float:
    return numbers_in(example)[0]


def examples(q: Numeric) -> dict[str, str]:
    """One example per accepted form (decimal always), none of them near the key."""
    out = {}
    for form in ("decimal", *q.accept):
        out[form] = next((c for c in CANDIDATES[form] if not near_key(q, _value(c))), "")
    return {form: text for form, text in out.items() if text}


def forms_caption(q: Numeric) -> str:
    """'Accepted forms: decimal (e.g. 3.7), fraction (e.g. 3/8). Unit: paths.'"""
    forms = ", ".join(f"{form} (e.g. {text})" for form, text in examples(q).items())
    unit = f" Unit: {q.unit}." if q.unit else ""
    return f"Accepted forms: {forms}.{unit}"


def placeholder(q: Numeric) -> str:
    """The answer box's placeholder: a decimal example that is not the key."""
    example = examples(q).get("decimal")
    return f"a number, e.g. {example}" if example else "a number"


def leaks(q: Numeric) -> list[str]:
    """Everything a learner sees before answering that shows a number near the key (empty when nothing leaks)."""
    shown = {"prompt": q.prompt, "forms caption": forms_caption(q), "placeholder": placeholder(q)}
    return [f"{where} shows {x:g} (key {q.value:g})" for where, text in shown.items()
            for x in numbers_in(text) if near_key(q, x)]
