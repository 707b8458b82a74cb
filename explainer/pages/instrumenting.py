"""Learn page: Instrumenting a training run (content in explainer/learn/content/instrumenting.md)."""

from explainer.views.learn.page import render

render("instrumenting")
