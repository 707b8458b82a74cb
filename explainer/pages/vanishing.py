"""Learn page: Vanishing gradients (content in explainer/learn/content/vanishing.md)."""

from explainer.views.learn.page import render

render("vanishing")
