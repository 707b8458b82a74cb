"""Learn page: Signal propagation and the edge of chaos (content in explainer/learn/content/signal_propagation.md)."""

from explainer.views.learn.page import render

render("signal-propagation")
