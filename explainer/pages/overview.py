"""Learn page: Overview (content in explainer/learn/content/overview.md)."""

from explainer.views.learn.page import render

render("overview")
