"""Learn page: Vanishing gradients (content in explainer/content/vanishing.md)."""

from explainer.views.learn import render

render("vanishing")
