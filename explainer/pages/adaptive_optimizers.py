"""Learn page: Adaptive optimizers and vanishing (content in explainer/learn/content/adaptive_optimizers.md)."""

from explainer.views.learn.page import render

render("adaptive-optimizers")
