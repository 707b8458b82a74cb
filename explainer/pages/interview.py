"""Learn page: Interview answer (content in explainer/content/interview.md)."""

from explainer.views.learn import render

render("interview")
