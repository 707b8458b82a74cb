"""An answer as the grader reads it: sentences -> clauses of canonical tokens, with negation scopes and segments.

Pipeline per sentence: math -> words (mathtext), lower case, contractions ("doesn't" -> "does not"), word and
number tokens, British -ise -> -ize, Snowball stems, synonyms -> one canonical token (lexicon, longest first),
spelling variants -> the nearest rubric word (rapidfuzz, one edit for short words, two for long ones).
A sentence that is a bare comma list ("ReLU, sigmoid 0.25, dying ReLU") becomes one clause per item (with the
text before a colon as each item's header), so terms from different items never combine into a claim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz.distance import OSA
from rapidfuzz.process import extractOne

from questions.claims import lexicon, mathtext

_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"#[-+0-9.e]+|\d+(?:\.\d+)?(?:e[-+]?\d+)?|\.\d+|[a-z]+|[,;:()\[\]]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BULLET = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
SHORT_LINE = 60  # a typed line shorter than this ends its sentence even without a full stop
_CONTRACTIONS = [(re.compile(p), r) for p, r in (
    (r"\bcan['’]t\b", "can not"), (r"\bcannot\b", "can not"), (r"\bwon['’]t\b", "will not"),
    (r"n['’]t\b", " not"), (r"['’](s|re|ll|ve|d|m)\b", ""), (r"\bnon[- ]?(?=[a-z]{4,})", "non "),
)]
PUNCT = frozenset(",;:()[]")
SEGMENT_PUNCT = frozenset(",;:")
MAX_FUZZY_VOCAB = 5000


def stem(word: str) -> str:
    """Snowball stem of a lower-case word, British -ise/-isation spelled -ize/-ization first."""
    if len(word) > 5:
        word = re.sub(r"is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1", word)
    return _STEMMER.stemWord(word)


def raw_tokens(text: str) -> list[str]:
    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).replace("_", " ")
    s = re.sub(r"(?<![\de#])-|-(?!\d)", " ", s)  # hyphens split words; a sign inside '#1e-06' stays
    for pattern, repl in _CONTRACTIONS:
        s = pattern.sub(repl, s)
    return _TOKEN.findall(s)


def number_token(word: str) -> str | None:
    if word.startswith("#"):
        return word
    if word[0].isdigit() or word[0] == ".":
        try:
            return mathtext.canon(float(word))
        except ValueError:
            return None
    return None


@lru_cache(maxsize=1)
def _phrase_table() -> dict[tuple[str, ...], str]:
    """Stemmed surface phrase -> canonical token, from lexicon.SYNONYMS (a clash between two keys is an error)."""
    table: dict[tuple[str, ...], str] = {}
    for canonical, phrases in lexicon.SYNONYMS.items():
        for phrase in (canonical, *phrases):
            key = tuple(_plain(phrase))
            if key in table and table[key] != canonical:
                raise ValueError(f"lexicon: {phrase!r} is listed under both {table[key]!r} and {canonical!r}")
            table[key] = canonical
    for word, value in lexicon.NUMBER_WORDS.items():
        table.setdefault((stem(word),), mathtext.canon(value))
    return table


def _plain(text: str) -> list[str]:
    """Stemmed tokens without synonyms (for building the synonym table itself)."""
    out = []
    for w in raw_tokens(mathtext.rewrite(text)):
        out.append(number_token(w) or (w if w in PUNCT else stem(w)))
    return out


@lru_cache(maxsize=1)
def _max_phrase() -> int:
    return max(len(k) for k in _phrase_table())


def canonical_vocabulary() -> frozenset[str]:
    """Every canonical token the synonym table can produce (the fuzzy matcher may correct towards them)."""
    return frozenset(v for v in _phrase_table().values() if not v.startswith("#"))


def canonicalize(words: list[str], vocabulary: frozenset[str]) -> tuple[list[str], list[str]]:
    """(canonical tokens, the raw word each came from): synonyms longest first, then spelling correction."""
    table, longest = _phrase_table(), _max_phrase()
    stems = [number_token(w) or (w if w in PUNCT else stem(w)) for w in words]
    out, raw, i = [], [], 0
    while i < len(stems):
        for n in range(min(longest, len(stems) - i), 0, -1):
            canonical = table.get(tuple(stems[i : i + n]))
            if canonical is not None and not (n == 1 and words[i] in lexicon.NEGATIONS):
                out.append(canonical)
                raw.append("_".join(words[i : i + n]))  # a multi-word synonym is never a cue or a break
                i += n
                break
        else:
            out.append(_correct(stems[i], vocabulary) if words[i] not in lexicon.NEGATIONS else words[i])
            raw.append(words[i])
            i += 1
    return out, raw


def _correct(token: str, vocabulary: frozenset[str]) -> str:
    """A misspelt word -> the rubric word one edit away (two for long words), same first letter; else itself."""
    if token.startswith("#") or token in PUNCT or len(token) < 5 or token in vocabulary or not token.isalpha():
        return token
    limit = 1 if len(token) < 8 else 2
    candidates = [v for v in vocabulary if v[:1] == token[:1] and abs(len(v) - len(token)) <= limit]
    best = extractOne(token, candidates, scorer=OSA.distance, score_cutoff=limit) if candidates else None
    return best[0] if best else token


@dataclass(frozen=True)
class Clause:
    """A unit a claim must fit in: a sentence, or one item of a listed sentence (with its header)."""

    sentence: int  # index of the sentence it came from (quoted in feedback)
    tokens: tuple[str, ...]  # canonical tokens
    segments: tuple[int, ...]  # segment number of each token (split at commas and conjunctions)
    cues: tuple[frozenset[int], ...]  # ids of the negation cues whose scope covers each token
    header: int = 0  # tokens before this index are a 'Header:' that every later term may belong to


@dataclass(frozen=True)
class Analysis:
    """An answer split into sentences (original text, for quoting) and the clauses the matcher searches."""

    sentences: tuple[str, ...]
    clauses: tuple[Clause, ...]

    def words(self) -> frozenset[str]:
        return frozenset(t for c in self.clauses for t in c.tokens)


def split_sentences(text: str) -> list[str]:
    """Sentences and bullet lines of `text`, stripped, in order. A decimal point never splits; a line break
    splits at a blank line, before a bullet, or after a short line (typed lines), but a line wrapped inside a
    paragraph (a long line followed by more text) is joined to the next."""
    protected = re.sub(r"\b(e\.g|i\.e|et al|vs|approx|cf|resp|etc)\.", lambda m: m[1].replace(".", "∙"), text,
                       flags=re.I)
    lines = protected.split("\n")
    joined, current, previous = [], "", 0
    for line in lines:
        stripped = line.strip()
        bullet = bool(_BULLET.match(stripped))
        if not stripped or bullet or (current and previous < SHORT_LINE):
            if current.strip():
                joined.append(current)
            current = _BULLET.sub("", stripped)
        else:
            current = f"{current} {stripped}" if current else stripped
        previous = len(stripped)
    if current.strip():
        joined.append(current)
    out = []
    for block in joined:
        out += [p.replace("∙", ".").strip() for p in _SENTENCE_END.split(block) if p.strip(" \t-*•")]
    return out


def _he_as_kaiming(sentence: str) -> str:
    """'He' written with a capital inside a sentence is Kaiming He's initialization, not the pronoun."""
    return re.sub(r"(?<=\S)(\s+)He\b(?!')", r"\1Kaiming", sentence) if " He" in sentence else sentence


def _negation_scopes(words: list[str], tokens: list[str]) -> list[frozenset[int]]:
    """For each token, the ids (positions) of the negation cues whose scope covers it."""
    covers: list[set[int]] = [set() for _ in tokens]
    for i, w in enumerate(words):
        cue = w in lexicon.NEGATIONS or tokens[i] == "non"
        if w == "not" and i + 1 < len(words) and words[i + 1] in lexicon.NOT_NEGATION_AFTER:
            cue = False
        if w in {"rather", "instead"}:
            cue = i + 1 < len(words) and words[i + 1] in {"than", "of"}
        if not cue:
            continue
        limit = 1 if tokens[i] == "non" else lexicon.SCOPE
        for j in range(i + 1, min(len(tokens), i + 1 + limit)):
            if tokens[j] in PUNCT or words[j] in lexicon.SEGMENT_BREAKS:
                break
            covers[j].add(i)
        covers[i].add(i)
    return [frozenset(c) for c in covers]


def _mark_phrase_cues(words: list[str]) -> list[str]:
    """Multi-word negation cues ('get rid of', 'turn off') -> 'not' on their first word."""
    out = list(words)
    for phrase in lexicon.NEGATION_PHRASES:
        n = len(phrase)
        for i in range(len(out) - n + 1):
            if tuple(out[i : i + n]) == phrase:
                out[i] = "not"
    return out


def _segments(words: list[str], tokens: list[str]) -> list[int]:
    seg, out = 0, []
    for w, t in zip(words, tokens, strict=True):
        if t in SEGMENT_PUNCT or w in lexicon.SEGMENT_BREAKS:  # a parenthesis labels its phrase: no break
            seg += 1
        out.append(seg)
    return out


def _drop_fillers(words: list[str]) -> list[str]:
    """Spoken fillers ('um', 'you know', 'basically') removed; a comma left alone by them is dropped too."""
    out = list(words)
    for phrase in lexicon.FILLER_PHRASES:
        n, i = len(phrase), 0
        while i <= len(out) - n:
            if tuple(out[i : i + n]) == phrase:
                del out[i : i + n - (phrase[-1] == ",")]
            else:
                i += 1
    out = [w for w in out if w not in lexicon.FILLERS]
    cleaned: list[str] = []
    for w in out:
        if w in {",", ";"} and (not cleaned or cleaned[-1] in {",", ";", ":"}):
            continue
        cleaned.append(w)
    return cleaned


def _is_list(items: list[list[str]]) -> bool:
    """A bare list of terms: three or more comma items, two thirds of them four words or shorter, and few
    function words (a spoken sentence with commas is not a list)."""
    if len(items) < 3:
        return False
    short = sum(1 for item in items if len(item) <= 4)
    words = [w for item in items for w in item]
    function = sum(1 for w in words if w in lexicon.FUNCTION_WORDS)
    return short * 3 >= 2 * len(items) and function < 0.3 * len(words)


SUBORDINATORS = frozenset({"which", "that", "so", "because", "since", "where", "while", "whereas", "but", "and"})


def _attach_subordinates(items: list[list[str]]) -> list[list[str]]:
    """A comma item opening with 'which', 'so', 'because' ... continues the item before it, not a new term."""
    out: list[list[str]] = []
    for item in items:
        if out and item[0] in SUBORDINATORS and len(item) > 2:
            out[-1] = [*out[-1], ",", *item]
        else:
            out.append(item)
    return out


def _clause(index: int, words: list[str], vocabulary: frozenset[str]) -> Clause:
    words = _mark_phrase_cues(words)
    tokens, raw = canonicalize(words, vocabulary)
    cues = _negation_scopes(raw, tokens)
    header = tokens.index(":") + 1 if ":" in tokens[:6] else 0
    return Clause(index, tuple(tokens), tuple(_segments(raw, tokens)), tuple(cues), header)


def analyse(text: str, vocabulary: Iterable[str] = ()) -> Analysis:
    """Split `text` into sentences and clauses of canonical tokens; `vocabulary` guides spelling correction."""
    vocab = frozenset(vocabulary) | canonical_vocabulary()
    sentences = split_sentences(text or "")
    clauses: list[Clause] = []
    for i, sentence in enumerate(sentences):
        words = _drop_fillers(raw_tokens(mathtext.rewrite(_he_as_kaiming(sentence))))
        if not words:
            continue
        header: list[str] = []
        body = words
        if ":" in words and words.index(":") <= 4:
            cut = words.index(":")
            header, body = words[:cut], words[cut + 1 :]
        items: list[list[str]] = [[]]
        for w in body:
            if w in {",", ";"}:
                items.append([])
            else:
                items[-1].append(w)
        items = _attach_subordinates([item for item in items if item])
        if _is_list(items):
            clauses += [_clause(i, header + [":"] + item if header else item, vocab) for item in items]
        else:
            clauses.append(_clause(i, words, vocab))
    return Analysis(tuple(sentences), tuple(clauses))
