"""Math and notation -> words, so "σ(1−σ) ≤ 1/4", "‖g‖ > c" and "I + ∂F/∂x" count like the words they stand for.

Numbers become canonical tokens "#<value>" (4 significant digits): "1/4", "0.25", "25%" and "a quarter" all read
"#0.25"; "1e-3", "10^-3" and "1 × 10⁻³" read "#0.001". A range "1-4" stays two numbers, never a fraction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_SUB_RUN = re.compile(r"[₀₁₂₃₄₅₆₇₈₉₊₋ᵢₗₜₙ]+")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₊₋ᵢₗₜₙ", "0123456789+-iltn")

_LATEX = [
    (r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)"), (r"\\sigma", "σ"), (r"\\leq?\b", "≤"),
    (r"\\geq?\b", "≥"), (r"\\partial", "∂"), (r"\\cdot", "·"), (r"\\times", "×"), (r"\\approx", "≈"),
    (r"\\sqrt", "√"), (r"\\odot", "⊙"), (r"\\lambda", "λ"), (r"\\eta", "η"), (r"\\gamma", "γ"), (r"\\beta", "β"),
    (r"\\epsilon", "ε"), (r"\\prod", "∏"), (r"\\sum", "∑"), (r"\\\|", "‖"), (r"\\mathrm|\\operatorname|\\text", ""),
    (r"\\left|\\right", ""), (r"\\tanh", "tanh"), (r"\\max", "max"), (r"\\[,;! ]", " "),
]
_NUM = r"\d+(?:\.\d+)?|\.\d+"


def canon(value: float) -> str:
    """The canonical token of a number: '#0.25', '#0.001', '#1024', '#1e06' (no '+', which reads as 'plus')."""
    return f"#{float(value):.4g}".replace("e+", "e")


def num(value: float) -> str:
    return f" {canon(value)} "


def _sci(m: re.Match[str]) -> str:
    mantissa = float(m["m"]) if m["m"] else 1.0
    exponent = int(m["e"].replace("−", "-"))
    return num(mantissa * 10.0 ** max(-300, min(300, exponent)))


def _fraction(m: re.Match[str]) -> str:
    den = float(m[2])
    return num(float(m[1]) / den) if den else m[0]


Replacement = str | Callable[[re.Match[str]], str]  # what re.sub takes: a template or a function of the match

_RULES: list[tuple[re.Pattern[str], Replacement]] = [
    # protect abbreviations that end in a full stop
    (re.compile(r"\b(e\.g|i\.e|et al|vs|approx|cf|resp|etc)\.", re.I), lambda m: m[1].replace(".", "")),
    (re.compile(r"\*\*([^*\n]+)\*\*"), r"\1"),  # markdown bold, not a power
    (re.compile(r"(?<=\d),(?=\d{3}\b)"), ""),  # 1,024 -> 1024
    # the sigmoid's derivative and other primes: σ'(x), tanh', f'
    (re.compile(r"(?<![A-Za-z])(σ|sigma|sigmoid|tanh|relu|f|φ|phi)\s*(?:'|′|’)(?!s\b)", re.I), r" \1 derivative "),
    (re.compile(r"\bd\s*(σ|sigma|sigmoid|tanh)\s*/\s*dx\b", re.I), r" \1 derivative "),
    (re.compile(r"\bd\s*/\s*dx\b", re.I), " derivative "),
    # ∂a/∂b and da/db (with subscripts): a derivative
    (re.compile(r"∂\s*([A-Za-z][\w+\-]*)\s*/\s*∂\s*([A-Za-z][\w+\-]*)"), r" derivative \1 wrt \2 "),
    (re.compile(r"\bd\s*([A-Za-z](?:_[\w+\-]+)?)\s*/\s*d\s*([A-Za-z](?:_[\w+\-]+)?)\b"), r" derivative \1 wrt \2 "),
    (re.compile(r"∂"), " derivative "),
    # scientific notation and powers of ten
    (re.compile(rf"(?P<m>{_NUM})\s*(?:×|x|\*|·)\s*10\s*(?:\^|\*\*)\s*\(?(?P<e>[+\-−]?\d+)\)?"), _sci),
    (re.compile(rf"(?P<m>{_NUM})[eE](?P<e>[+\-−]?\d+)\b"), _sci),
    (re.compile(r"(?<![\d.])(?P<m>)10\s*(?:\^|\*\*)\s*\(?(?P<e>[+\-−]?\d+)\)?"), _sci),
    (re.compile(rf"({_NUM})\s*(?:%|percent\b|per cent\b)"), lambda m: num(float(m[1]) / 100)),
    (re.compile(rf"(?<![\w.])({_NUM})\s*/\s*({_NUM})(?![\w.])"), _fraction),
    (re.compile(rf"(?<![\w.])({_NUM})\s*(?:–|—|-|to)\s*({_NUM})(?![\w.])"), r" \1 to \2 "),  # a range
    (re.compile(r"\bto the (\d+)(?:st|nd|rd|th)?(?: power)?\b", re.I), r" power \1 "),
    (re.compile(r"\bto the (tenth|twentieth|hundredth|fiftieth)(?: power)?\b", re.I),
     lambda m: f" power {dict(tenth=10, twentieth=20, hundredth=100, fiftieth=50)[m[1].lower()]} "),
    # variance, std, norms, identity
    (re.compile(r"σ\s*_?\s*\w?\s*(?:\^\s*\(?2\)?|²)"), " variance "), (re.compile(r"σ\s*_\s*[wWbB]\b"), " std "),
    (re.compile(r"(?:‖|\|\|)\s*g\s*(?:‖|\|\|)"), " gradient norm "),
    (re.compile(r"(?:‖|\|\|)\s*([^‖|]{1,20}?)\s*(?:‖|\|\|)"), r" norm \1 "),
    (re.compile(r"(?<![A-Za-z])I(?=\s*[+\-])|(?<=[+=])\s*I\b"), " identity "),
    # the derivative of the sigmoid written as s(1-s) with s the sigmoid's output
    (re.compile(r"\((?:x|z|a|u|h|t|x_?l|x_?i)\)"), " "),  # function applied to a variable: σ(x) -> σ
    (re.compile(r"\b(s|σ|sigma|sigmoid)\s*[*·×]?\s*\(\s*1\s*[-−]\s*\1\s*\)", re.I), " sigmoid times 1 minus sigmoid "),
    # arrows and comparisons
    (re.compile(r"->|→|=>|⇒|⟹|⟶"), " leads to "), (re.compile(r"<<|≪"), " much below "),
    (re.compile(r">>|≫"), " much exceeds "), (re.compile(r"<=|≤|⩽"), " at most "),
    (re.compile(r">=|≥|⩾"), " at least "),
    (re.compile(r"≈|≃|∼|~|~="), " approx "), (re.compile(r"≠|!="), " not equal "), (re.compile(r"<"), " below "),
    (re.compile(r">"), " exceeds "), (re.compile(r"="), " equals "), (re.compile(r"\+"), " plus "),
    (re.compile(r"−"), " minus "), (re.compile(r"(?<=[\d)σ])\s*-\s*(?=[\d(σ])|\s+-\s+"), " minus "),
    (re.compile(r"(?<=\d)\s*-\s*(?=(?:sigma|sigmoid|tanh|s|x|p)\b)", re.I), " minus "),
    (re.compile(r"\*\*|\^"), " power "), (re.compile(r"[×·⊙∗*]"), " times "), (re.compile(r"√"), " sqrt "),
    (re.compile(r"[∏Π]"), " product "), (re.compile(r"[∑Σ]"), " sum "), (re.compile(r"/"), " over "),
    # Greek letters that name things
    (re.compile(r"σ"), " sigmoid "), (re.compile(r"λ"), " lambda "), (re.compile(r"η"), " lr "),
    (re.compile(r"γ"), " gamma "), (re.compile(r"β"), " beta "), (re.compile(r"α"), " alpha "),
    (re.compile(r"[εϵ]"), " epsilon "), (re.compile(r"φ"), " phi "), (re.compile(r"δ"), " delta "),
    (re.compile(r"[μµ]"), " mean "),
]


def rewrite(text: str) -> str:
    """`text` with math notation spelled out in words and numbers as '#value' tokens (case is kept)."""
    s = text
    for pattern, repl in _LATEX:
        s = re.sub(pattern, repl, s)
    s = _SUP_RUN.sub(lambda m: "^(" + m[0].translate(_SUPERSCRIPTS) + ")", s)
    s = _SUB_RUN.sub(lambda m: "_" + m[0].translate(_SUBSCRIPTS), s)
    s = unicodedata.normalize("NFKC", s.replace("½", " 0.5 ").replace("¼", " 0.25 "))
    s = re.sub(r"_\{[^{}]*\}", "", s)  # braced subscripts (c_{t-1}, x_{l+1}) name an index, not numbers
    s = s.replace("{", "").replace("}", "").replace("$", " ").replace("`", " ")
    for rule, replacement in _RULES:
        s = rule.sub(replacement, s)
    return s
