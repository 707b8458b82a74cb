"""Learn page: Remedy: gradient clipping (content in explainer/learn/content/remedy_clipping.md)."""

from explainer.views.learn.page import render

render("remedy-clipping")
