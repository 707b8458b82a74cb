"""The form of a choice question gives its key away no more than chance: test-wise strategies score <= 35 %."""

from __future__ import annotations

import pytest

from questions.cues import chance, length, specificity, strategy_score
from questions.loader import BUILTIN_DIR, load_banks

BANK = load_banks([BUILTIN_DIR]).questions
LIMIT = 0.35  # chance is 1/4 with four options


@pytest.mark.parametrize(("name", "measure"), [
    ("pick the longest option", length),
    ("pick the most specific option", specificity),
    ("pick the shortest option", lambda option: -length(option)),
])
def test_test_wise_strategies_stay_near_chance(name, measure):
    """Over every single-choice and predict question of every bank file, the strategy scores <= 35 %."""
    score, n = strategy_score(BANK, measure)
    assert n >= 40
    assert score <= LIMIT, f"{name} scores {score:.0%} over {n} questions (chance {chance(BANK):.0%})"


def test_no_option_refers_to_the_others():
    """No 'all of the above' / 'none of the above': options are shuffled, and such options are giveaways."""
    for q in BANK:
        for option in getattr(q, "options", []):
            assert "of the above" not in option.lower(), (q.id, option)


def test_the_measures_read_what_a_learner_sees():
    """Length ignores LaTeX commands and markup; specificity counts distinct content words and numbers."""
    assert length("$\\mathrm{diag}(f_t)$") == length("diag(f_t)")
    assert specificity("A product of T - t Jacobians, one per time step") > specificity("A flat line")
