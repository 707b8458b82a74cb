"""Practice page: Live session (learners follow the presenter and answer on their phones)."""

from explainer.views.live.learner import render

render()
