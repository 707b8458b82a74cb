"""Learn page: Remedy: residual connections (content in explainer/learn/content/remedy_residual.md)."""

from explainer.views.learn.page import render

render("remedy-residual")
