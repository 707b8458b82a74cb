"""Every URL format of the app, built and parsed here: lab query strings, bank presets, quiz links, pinned links.

Lab pages: a URL parameter is an engine config field (`ParamSpec`, derived from the configs in explainer.lab.params);
a bad value is clamped or refused with a `Notice` naming the key, the value given and what is used instead.
Quiz links: `/quiz?topic=a,b&n=10&seed=7&difficulty=easy`. The limits live here once. Pure: no streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, get_args
from urllib.parse import parse_qsl, urlencode, urlsplit

from explainer.core.sitemap import BY_PATH, LAB_PATHS, TOPIC_BY_SLUG

MAX_RAW_CHARS = 40  # longer lab URL values are refused outright (no parsing of megabyte strings)
MAX_PARAM_CHARS = 200  # longest value kept in a pasted experiment URL
MAX_QUIZ_LENGTH = 50  # questions in one quiz
QUIZ_SEED_MAX = 2**31 - 1  # quiz seeds are 0..QUIZ_SEED_MAX
Difficulty = Literal["easy", "medium", "hard"]  # of a question, and the quiz link's `difficulty` filter
DIFFICULTIES: tuple[str, ...] = get_args(Difficulty)

ParamKind = Literal["int", "float", "choice", "bool"]


@dataclass(frozen=True)
class ParamSpec:
    """One lab URL parameter: numeric bounds inclusive unless `lo_open` (the engine needs value > lo)."""

    key: str
    kind: ParamKind
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False  # a float that may be absent (None = "the init's textbook value")
    lo_open: bool = False

    def describe(self) -> str:
        """The allowed values in words, e.g. "2–100", "above 0 up to 1e+06", "one of sgd, adam"."""
        if self.kind in ("int", "float"):
            if self.lo_open:
                return f"above {_fmt(self.lo)} up to {_fmt(self.hi)}"
            return f"{_fmt(self.lo)}–{_fmt(self.hi)}"
        if self.kind == "bool":
            return "true or false"
        return "one of " + ", ".join(self.choices)


class NoticeKind(Enum):
    """Why a URL parameter was not used as given."""

    UNKNOWN = "unknown"  # not a setting of this page: ignored
    INVALID = "invalid"  # bad value: clamped, repaired or replaced by the default
    REPEATED = "repeated"  # given several times: the last one is used


@dataclass(frozen=True)
class Notice:
    """A URL value that was not used as given: `value` is what the page uses instead (None: the default)."""

    key: str
    raw: str
    reason: str
    value: object = None
    kind: NoticeKind = NoticeKind.INVALID


def _fmt(x: float | None) -> str:
    return f"{x:g}"


def _number(spec: ParamSpec, raw: str) -> tuple[object, str | None]:
    """Parse a numeric URL value; return (value to use or None for the default, reason or None if valid)."""
    try:
        x = float(raw)
    except ValueError:
        return None, f"is not a number (allowed {spec.describe()})"
    if math.isnan(x):
        return None, "is not a number"
    if spec.lo_open and x <= spec.lo:
        return None, f"must be above {_fmt(spec.lo)} (allowed {spec.describe()})"
    reason = None
    if x < spec.lo or x > spec.hi:
        reason = f"is outside the allowed range {spec.describe()}"
        x = min(max(x, spec.lo), spec.hi)  # ±inf clamp too
    if spec.kind == "int":
        if x != math.floor(x):
            reason = reason or "is not a whole number"
            x = math.floor(x)
        return int(x), reason
    return x, reason


def check_value(spec: ParamSpec, raw: str) -> Notice | None:
    """None if `raw` is a valid value for `spec`; otherwise a Notice saying what is wrong and what is used."""
    if len(raw) > MAX_RAW_CHARS:
        return Notice(spec.key, raw[:MAX_RAW_CHARS] + "…", f"is longer than {MAX_RAW_CHARS} characters")
    text = raw.strip()
    if spec.kind in ("int", "float"):
        if spec.optional and text.lower() in ("", "none", "default"):
            return None if text == "" else Notice(spec.key, raw, "means the default; leave it out of the URL")
        value, reason = _number(spec, text)
        return None if reason is None else Notice(spec.key, raw, reason, value)
    if spec.kind == "bool":
        return None if text.lower() in ("true", "false") else Notice(spec.key, raw, "must be true or false")
    if text in spec.choices:
        return None
    lowered = {c.lower(): c for c in spec.choices}
    fixed = lowered.get(text.lower().replace("-", "_").replace(" ", "_"))
    return Notice(spec.key, raw, f"is not {spec.describe()}", fixed)


def parse(spec: ParamSpec, raw: str) -> object:
    """The typed value of a raw URL string that `check_value` accepted."""
    text = raw.strip()
    if spec.kind == "int":
        return int(float(text))
    if spec.kind == "float":
        return float(text) if text else None
    if spec.kind == "bool":
        return text.lower() == "true"
    return text


def check_query(params: dict[str, list[str]], specs: dict[str, ParamSpec]) -> list[Notice]:
    """Notices for every URL parameter of this page that is invalid, repeated, or not a setting of the page."""
    notices = []
    for key, values in params.items():
        spec = specs.get(key)
        if spec is None:
            shown = values[-1] if values else ""
            notices.append(Notice(key, shown[:MAX_RAW_CHARS], "is not a setting of this page and was ignored",
                                  kind=NoticeKind.UNKNOWN))
            continue
        if not values:
            continue
        notice = check_value(spec, values[-1])
        if notice is None and len(values) > 1:
            notice = Notice(key, values[-1], f"was given {len(values)} times; the last one is used",
                            parse(spec, values[-1]), NoticeKind.REPEATED)
        if notice is not None:
            notices.append(notice)
    return notices


def url_value(value: object) -> str:
    """How a value is written in a URL (matches Streamlit's own formatting of bound params: true/false, 1, 0.5)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if math.isfinite(value) and value == int(value) else repr(value)
    return str(value)


def lab_query(values: dict[str, object], defaults: dict[str, object] | None = None) -> str:
    """The query that reproduces `values` on a lab page: only keys whose value differs from the page default."""
    defaults = defaults or {}
    return urlencode([(k, url_value(v)) for k, v in values.items() if v is not None and v != defaults.get(k)])


def lab_url(page: str, values: dict[str, object], defaults: dict[str, object] | None = None) -> str:
    """Relative URL that opens lab `page` with `values`, e.g. "/lab-activations?depth=30&activation=tanh"."""
    query = lab_query(values, defaults)
    return f"/{page}?{query}" if query else f"/{page}"


def experiment_url(pasted: str) -> str:
    """An app-relative lab URL from whatever an instructor pasted (full URL or `/lab-init?...`); other sites refused."""
    parts = urlsplit(pasted.strip())
    path = parts.path.strip("/").rsplit("/", 1)[-1]
    if path not in LAB_PATHS:
        expected = ", ".join(sorted(LAB_PATHS))
        raise ValueError(f"'{path or pasted}' is not an experiment page; expected one of: {expected}")
    params = parse_qsl(parts.query, keep_blank_values=False)
    for key, value in params:
        if not key.replace("_", "").isalnum() or len(value) > MAX_PARAM_CHARS:
            raise ValueError(f"URL parameter {key!r} is not a valid experiment setting")
    return f"/{path}" + (f"?{urlencode(params)}" if params else "")


def is_app_url(url: str) -> bool:
    """True for a relative URL whose path is a page of this app (what pinned presets may point at)."""
    return url.startswith("/") and urlsplit(url).path.strip("/") in BY_PATH


def split_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """(page url_path, query (key, value) pairs in order, repeated keys kept) of an app URL, relative or absolute
    (the page is the last path segment, so an app served under a prefix works too)."""
    parts = urlsplit(url)
    return parts.path.strip("/").rsplit("/", 1)[-1], parse_qsl(parts.query, keep_blank_values=True)


@dataclass(frozen=True)
class QuizLink:
    """What a quiz URL preselects: topics, difficulty levels, length and seed (None: the learner chooses)."""

    topics: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    n: int | None = None
    seed: int | None = None
    ignored: tuple[str, ...] = field(default=(), compare=False)  # "key='value'" of each value that was not used


def quiz_url(topics: list[str], length: int, seed: int) -> str:
    """The Practice quiz URL for a pinned quiz: `/quiz?topic=a,b&n=10&seed=7`; bad values raise ValueError."""
    unknown = [t for t in topics if t not in TOPIC_BY_SLUG]
    if unknown or not topics:
        raise ValueError(f"unknown topics: {', '.join(unknown)}" if unknown else "pick at least one topic")
    if not 1 <= length <= MAX_QUIZ_LENGTH:
        raise ValueError(f"length must be between 1 and {MAX_QUIZ_LENGTH}")
    if not 0 <= seed <= QUIZ_SEED_MAX:
        raise ValueError(f"seed must be between 0 and {QUIZ_SEED_MAX}")
    return "/quiz?" + urlencode({"topic": ",".join(topics), "n": length, "seed": seed})


def _split(values: list[str]) -> list[str]:
    return [v.strip() for raw in values for v in raw.split(",") if v.strip()]


def _int(name: str, raw: str | None, hi: int, ignored: list[str], lo: int = 0) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not lo <= value <= hi:
        ignored.append(f"{name}={raw[:20]!r} (expected a whole number {lo}-{hi})")
        return None
    return value


def parse_quiz_query(params: dict[str, list[str]]) -> QuizLink:
    """A quiz URL's query (each key -> all its values) as a QuizLink; unknown topics and bad numbers are ignored."""
    ignored: list[str] = []
    topics = _split(params.get("topic", []))
    levels = _split(params.get("difficulty", []))
    ignored += [f"topic={t[:30]!r}" for t in topics if t not in TOPIC_BY_SLUG]
    ignored += [f"difficulty={d[:30]!r}" for d in levels if d not in DIFFICULTIES]
    last = {k: v[-1] for k, v in params.items() if v}
    n = _int("n", last.get("n"), MAX_QUIZ_LENGTH, ignored, lo=1)
    seed = _int("seed", last.get("seed"), QUIZ_SEED_MAX, ignored)
    return QuizLink(tuple(t for t in topics if t in TOPIC_BY_SLUG), tuple(d for d in levels if d in DIFFICULTIES),
                    n, seed, tuple(ignored))


# Live sessions: the presenter's projector shows a short join code and `/live?code=CODE` as a QR code; a lesson
# opens on the projector at `/present?lesson=SLUG`. Codes avoid look-alike characters (0/O, 1/I/L) and are
# typed on phones, so case, spaces and dashes do not matter.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6  # 31**6 ≈ 9e8 codes: guessing the one active code is hopeless
LESSON_SLUG_MAX = 60


def new_join_code() -> str:
    """A fresh random join code, e.g. "K7QH2X" (the secrets module, not `random`)."""
    import secrets

    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def parse_join_code(raw: str | None) -> str | None:
    """The join code a learner typed or scanned, normalised ("k7q h2x" -> "K7QH2X"); None if it cannot be one."""
    if raw is None:
        return None
    code = "".join(ch for ch in str(raw)[:40].upper() if ch not in " -")
    ok = len(code) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in code)
    return code if ok else None


def live_url(code: str) -> str:
    """Relative URL a learner opens to join the live session with `code`: `/live?code=K7QH2X`."""
    if parse_join_code(code) != code:
        raise ValueError(f"{code!r} is not a join code")
    return "/live?" + urlencode({"code": code})


def lesson_slug(title: str) -> str:
    """The stable name of a lesson from its title: "Week 3: Clipping!" -> "week-3-clipping" (URLs and the store)."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in title.lower()).split()
    return "-".join(words)[:LESSON_SLUG_MAX].strip("-") or "lesson"


def present_url(slug: str) -> str:
    """Relative URL that opens lesson `slug` on the presenter page: `/present?lesson=week-3-clipping`."""
    if lesson_slug(slug) != slug:
        raise ValueError(f"{slug!r} is not a lesson name")
    return "/present?" + urlencode({"lesson": slug})
