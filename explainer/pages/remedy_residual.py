"""Learn page: Remedy: residual connections (content in explainer/content/remedy_residual.md)."""

from explainer.views.learn import render

render("remedy-residual")
