"""Learn page: Remedy: LSTM/GRU gating (content in explainer/content/remedy_gating.md)."""

from explainer.views.learn import render

render("remedy-gating")
