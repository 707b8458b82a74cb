"""Learn page: Remedy: activations (content in explainer/learn/content/remedy_activations.md)."""

from explainer.views.learn.page import render

render("remedy-activations")
