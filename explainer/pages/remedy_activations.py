"""Remedy: activations page."""

from explainer.views.placeholder import render

render("remedy-activations")
