"""Progress analytics as plain pandas: mastery per topic over time, per-question accuracy, class summaries.

Input is a long frame of attempts (one row per answer: learner_id?, question_id, topic, score, answered_at).

Mastery of a topic = sum of the latest score on each question answered in it, divided by
(questions answered + MASTERY_PRIOR). The prior is two unanswered "pseudo-questions", so one lucky answer
is 33 %, five right answers 71 %, ten 83 %: mastery needs breadth, not one card.
"""

from __future__ import annotations

import io

import pandas as pd

from explainer.sitemap import TOPICS

MASTERY_PRIOR = 2.0
MASTERED = 0.8  # a topic counts as mastered from this mastery on
TOPIC_ORDER = [t.slug for t in TOPICS]
TOPIC_TITLE = {t.slug: t.title for t in TOPICS}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _latest(attempts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return attempts.sort_values("answered_at", kind="stable").drop_duplicates(keys, keep="last")


def _mastery(latest: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    g = latest.groupby(by, observed=True)["score"].agg(["sum", "count"]).reset_index()
    g["mastery"] = g["sum"] / (g["count"] + MASTERY_PRIOR)
    return g.rename(columns={"count": "answered"}).drop(columns="sum")


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


def question_accuracy(attempts: pd.DataFrame) -> pd.DataFrame:
    """Per question: attempts, distinct learners, mean score; hardest (lowest mean score) first."""
    cols = ["question_id", "topic", "attempts", "learners", "accuracy"]
    if attempts.empty:
        return pd.DataFrame(columns=cols)
    g = attempts.groupby(["question_id", "topic"]).agg(
        attempts=("score", "size"), learners=("learner_id", "nunique"), accuracy=("score", "mean")).reset_index()
    return g.sort_values(["accuracy", "attempts", "question_id"], ascending=[True, False, True],
                         kind="stable").reset_index(drop=True)[cols]


def learner_label(frame: pd.DataFrame) -> pd.Series:
    """'Name (#id)': display names may repeat, ids do not."""
    return frame["learner"].astype(str) + " (#" + frame["learner_id"].astype(str) + ")"


def mastery_heatmap(attempts: pd.DataFrame) -> pd.DataFrame:
    """Mastery per (learner, topic) now (columns learner, topic, answered, mastery)."""
    if attempts.empty:
        return pd.DataFrame(columns=["learner", "topic", "answered", "mastery"])
    a = attempts.assign(learner=learner_label(attempts))
    return _mastery(_latest(a, ["learner_id", "question_id"]), ["learner", "topic"])


def learner_summary(learners: pd.DataFrame, attempts: pd.DataFrame, due: dict[int, int]) -> pd.DataFrame:
    """One row per learner: answers, questions, mean score, topics mastered, last active, reviews due now."""
    rows = learners.assign(label=learner_label(learners))[["learner_id", "label"]]
    if attempts.empty:
        stats = pd.DataFrame(columns=["learner_id", "answers", "questions", "mean_score", "last_active"])
        mastered = pd.DataFrame(columns=["learner_id", "topics_mastered"])
    else:
        stats = attempts.groupby("learner_id").agg(
            answers=("score", "size"), questions=("question_id", "nunique"), mean_score=("score", "mean"),
            last_active=("answered_at", "max")).reset_index()
        m = _mastery(_latest(attempts, ["learner_id", "question_id"]), ["learner_id", "topic"])
        mastered = (m[m["mastery"] >= MASTERED].groupby("learner_id").size()
                    .rename("topics_mastered").reset_index())
    out = rows.merge(stats, on="learner_id", how="left").merge(mastered, on="learner_id", how="left")
    out["answers"] = out["answers"].fillna(0).astype(int)
    out["questions"] = out["questions"].fillna(0).astype(int)
    out["topics_mastered"] = out["topics_mastered"].fillna(0).astype(int)
    out["due_now"] = out["learner_id"].map(lambda i: due.get(int(i), 0)).astype(int)
    return out.rename(columns={"label": "learner"}).drop(columns="learner_id")


def score_distribution(attempts: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """How learners' mean scores spread: one row per bin (columns bin_start, bin_end, learners)."""
    edges = [i / bins for i in range(bins + 1)]
    means = attempts.groupby("learner_id")["score"].mean() if not attempts.empty else pd.Series(dtype=float)
    counts = pd.cut(means, edges, include_lowest=True, right=True).value_counts(sort=False)
    return pd.DataFrame({"bin_start": edges[:-1], "bin_end": edges[1:], "learners": counts.to_numpy(dtype=int)})


def daily_activity(attempts: pd.DataFrame, min_days: int = 14) -> pd.DataFrame:
    """Answers and active learners per day (columns day, answers, learners), on an unbroken calendar.

    Days without answers are rows of zeros, and at least `min_days` days up to the last answer are shown,
    so a quiet week reads as a gap and one busy day is one bar among others, not the whole chart."""
    if attempts.empty:
        return pd.DataFrame(columns=["day", "answers", "learners"])
    a = attempts.assign(day=attempts["answered_at"].dt.floor("D"))
    per_day = a.groupby("day").agg(answers=("score", "size"), learners=("learner_id", "nunique"))
    last = per_day.index.max()
    days = pd.date_range(min(per_day.index.min(), last - pd.Timedelta(days=min_days - 1)), last, freq="D",
                         name="day")
    return per_day.reindex(days, fill_value=0).reset_index()


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
