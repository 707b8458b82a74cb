"""Learn page: Remedy: LSTM/GRU gating (content in explainer/learn/content/remedy_gating.md)."""

from explainer.views.learn.page import render

render("remedy-gating")
