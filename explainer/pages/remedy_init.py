"""Learn page: Remedy: initialization (content in explainer/learn/content/remedy_init.md)."""

from explainer.views.learn.page import render

render("remedy-init")
