"""Remedy: initialization page."""

from explainer.views.placeholder import render

render("remedy-init")
