"""Remedy: gradient clipping page."""

from explainer.views.placeholder import render

render("remedy-clipping")
