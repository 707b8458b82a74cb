"""Learn page: Remedy: gradient clipping (content in explainer/content/remedy_clipping.md)."""

from explainer.views.learn import render

render("remedy-clipping")
