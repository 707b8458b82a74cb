"""Learn page: Exploding gradients (content in explainer/learn/content/exploding.md)."""

from explainer.views.learn.page import render

render("exploding")
