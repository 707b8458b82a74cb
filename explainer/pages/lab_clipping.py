"""Exploding & clipping page."""

from explainer.views.placeholder import render

render("lab-clipping")
