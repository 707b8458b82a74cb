"""Remedy: residual connections page."""

from explainer.views.placeholder import render

render("remedy-residual")
