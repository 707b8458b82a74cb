"""Vanishing gradients page."""

from explainer.views.placeholder import render

render("vanishing")
