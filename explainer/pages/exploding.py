"""Learn page: Exploding gradients (content in explainer/content/exploding.md)."""

from explainer.views.learn import render

render("exploding")
