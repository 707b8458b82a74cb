"""Learn page: Mixed precision and underflow (content in explainer/learn/content/mixed_precision.md)."""

from explainer.views.learn.page import render

render("mixed-precision")
