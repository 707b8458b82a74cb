"""Learn page: Interview answer (content in explainer/learn/content/interview.md)."""

from explainer.views.learn.page import render

render("interview")
