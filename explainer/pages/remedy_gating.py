"""Remedy: LSTM/GRU gating page."""

from explainer.views.placeholder import render

render("remedy-gating")
