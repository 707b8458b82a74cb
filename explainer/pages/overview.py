"""Learn page: Overview (content in explainer/content/overview.md)."""

from explainer.views.learn import render

render("overview")
