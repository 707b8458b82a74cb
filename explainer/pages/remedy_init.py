"""Learn page: Remedy: initialization (content in explainer/content/remedy_init.md)."""

from explainer.views.learn import render

render("remedy-init")
