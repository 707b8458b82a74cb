"""Progress analytics as plain pandas: mastery per topic over time, per-question accuracy, class summaries.

A learner's own progress starts from their attempts (one row per answer: question_id, topic, score,
answered_at). The class dashboard starts from the store's aggregates (explainer.store.dashboard: per learner,
per question, per day, per learner and topic), so it stays complete however many answers a class has.

Mastery of a topic = sum of the latest score on each question answered in it, divided by
(questions answered + MASTERY_PRIOR). The prior is two unanswered "pseudo-questions", so one lucky answer
is 33 %, five right answers 71 %, ten 83 %: mastery needs breadth, not one card.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from explainer.core.sitemap import TOPICS

MASTERY_PRIOR = 2.0
MASTERED = 0.8  # a topic counts as mastered from this mastery on
TOPIC_ORDER = [t.slug for t in TOPICS]
TOPIC_TITLE = {t.slug: t.title for t in TOPICS}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _latest(attempts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return attempts.sort_values("answered_at", kind="stable").drop_duplicates(keys, keep="last")


def _with_mastery(sums: pd.DataFrame) -> pd.DataFrame:
    """Columns `answered` and `score_sum` (over latest answers) -> `mastery` in place of `score_sum`."""
    return sums.assign(mastery=sums["score_sum"] / (sums["answered"] + MASTERY_PRIOR)).drop(columns="score_sum")


def _mastery(latest: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    return _with_mastery(latest.groupby(by, observed=True)["score"].agg(score_sum="sum", answered="count")
                         .reset_index())


def topic_mastery(attempts: pd.DataFrame) -> pd.DataFrame:
    """Current mastery per topic (columns topic, answered, mastery), in the sitemap's topic order."""
    if attempts.empty:
        return pd.DataFrame(columns=["topic", "answered", "mastery"])
    out = _mastery(_latest(attempts, ["question_id"]), ["topic"])
    return out.sort_values("topic", key=lambda s: s.map(_topic_rank)).reset_index(drop=True)


def with_every_topic(mastery: pd.DataFrame) -> pd.DataFrame:
    """`topic_mastery` plus a 0 row for every course topic not practised yet, in course order."""
    missing = [t for t in TOPIC_ORDER if t not in set(mastery["topic"])]
    extra = pd.DataFrame({"topic": missing, "answered": [0] * len(missing), "mastery": [0.0] * len(missing)})
    out = pd.concat([mastery, extra], ignore_index=True) if not mastery.empty else extra
    return out.sort_values("topic", key=lambda s: s.map(_topic_rank)).reset_index(drop=True)


def _topic_rank(slug: str) -> int:
    return TOPIC_ORDER.index(slug) if slug in TOPIC_ORDER else len(TOPIC_ORDER)


def mastery_timeline(attempts: pd.DataFrame) -> pd.DataFrame:
    """Mastery per topic at the end of every day with activity (columns day, topic, answered, mastery)."""
    if attempts.empty:
        return pd.DataFrame(columns=["day", "topic", "answered", "mastery"])
    a = attempts.sort_values("answered_at", kind="stable").assign(day=lambda d: d["answered_at"].dt.floor("D"))
    frames = []
    for day in a["day"].unique():
        snapshot = topic_mastery(a[a["day"] <= day])
        frames.append(snapshot.assign(day=day))
    return pd.concat(frames, ignore_index=True)[["day", "topic", "answered", "mastery"]]


def question_accuracy(stats: pd.DataFrame) -> pd.DataFrame:
    """Per-question stats (question_id, topic, attempts, learners, accuracy), hardest (lowest mean) first."""
    cols = ["question_id", "topic", "attempts", "learners", "accuracy"]
    if stats.empty:
        return pd.DataFrame(columns=cols)
    return stats.sort_values(["accuracy", "attempts", "question_id"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)[cols]


def learner_label(frame: pd.DataFrame) -> pd.Series:
    """'Name (#id)': display names may repeat, ids do not."""
    return frame["learner"].astype(str) + " (#" + frame["learner_id"].astype(str) + ")"


def mastery_heatmap(topic_scores: pd.DataFrame) -> pd.DataFrame:
    """Mastery per (learner, topic) now (columns learner, topic, answered, mastery).

    Input: per learner and topic, `answered` questions and `score_sum` of their latest scores."""
    if topic_scores.empty:
        return pd.DataFrame(columns=["learner", "topic", "answered", "mastery"])
    heat = _with_mastery(topic_scores.assign(learner=learner_label(topic_scores)))
    return heat[["learner", "topic", "answered", "mastery"]].reset_index(drop=True)


def _mean_scores(stats: pd.DataFrame) -> pd.Series:
    """Each learner's mean score from per-learner stats (answers, score_sum)."""
    return stats["score_sum"] / stats["answers"]


@dataclass(frozen=True)
class ClassTotals:
    answers: int
    mean_score: float | None  # None before the first answer
    active: int  # learners with an answer since the given time


def class_totals(stats: pd.DataFrame, since) -> ClassTotals:
    """Answers, mean score over all answers, and learners active since `since`, from per-learner stats."""
    answers = int(stats["answers"].sum()) if not stats.empty else 0
    if not answers:
        return ClassTotals(0, None, 0)
    return ClassTotals(answers, float(stats["score_sum"].sum()) / answers, int((stats["last_active"] >= since).sum()))


def learner_summary(learners: pd.DataFrame, stats: pd.DataFrame, topic_scores: pd.DataFrame,
                    due: dict[int, int]) -> pd.DataFrame:
    """One row per learner: answers, questions, mean score, topics mastered, last active, reviews due now."""
    rows = learners.assign(label=learner_label(learners))[["learner_id", "label"]]
    stats = stats.assign(mean_score=_mean_scores(stats))[["learner_id", "answers", "questions", "mean_score",
                                                          "last_active"]]
    m = _with_mastery(topic_scores) if not topic_scores.empty else topic_scores.assign(mastery=[])
    mastered = m[m["mastery"] >= MASTERED].groupby("learner_id").size().rename("topics_mastered").reset_index()
    out = rows.merge(stats, on="learner_id", how="left").merge(mastered, on="learner_id", how="left")
    out["answers"] = out["answers"].fillna(0).astype(int)
    out["questions"] = out["questions"].fillna(0).astype(int)
    out["topics_mastered"] = out["topics_mastered"].fillna(0).astype(int)
    out["due_now"] = out["learner_id"].map(lambda i: due.get(int(i), 0)).astype(int)
    return out.rename(columns={"label": "learner"}).drop(columns="learner_id")


def score_distribution(stats: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """How learners' mean scores spread: one row per bin (columns bin_start, bin_end, learners)."""
    edges = [i / bins for i in range(bins + 1)]
    means = _mean_scores(stats) if not stats.empty else pd.Series(dtype=float)
    counts = pd.cut(means, edges, include_lowest=True, right=True).value_counts(sort=False)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "learners": counts.to_numpy(dtype=int)})


def daily_activity(per_day: pd.DataFrame, min_days: int = 14) -> pd.DataFrame:
    """Answers and active learners per day (columns day, answers, learners), on an unbroken calendar.

    Input: one row per day with answers. Days without answers become rows of zeros, and at least `min_days`
    days up to the last answer are shown, so a quiet week reads as a gap and one busy day is one bar among
    others, not the whole chart."""
    if per_day.empty:
        return pd.DataFrame(columns=["day", "answers", "learners"])
    counts = per_day.set_index("day")[["answers", "learners"]]
    last = counts.index.max()
    days = pd.date_range(min(counts.index.min(), last - pd.Timedelta(days=min_days - 1)), last, freq="D",
                         name="day")
    return counts.reindex(days, fill_value=0).reset_index()


def _csv_safe(value):
    """Cells a spreadsheet would run as a formula (=, +, -, @ ...) get a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def attempts_csv(attempts: pd.DataFrame) -> str:
    """The attempts as CSV for download: UTC ISO times, formula-like text neutralised."""
    out = attempts.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_csv_safe)
    if "answered_at" in out:
        out["answered_at"] = pd.to_datetime(out["answered_at"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue()
