"""Learn page: Remedy: activations (content in explainer/content/remedy_activations.md)."""

from explainer.views.learn import render

render("remedy-activations")
