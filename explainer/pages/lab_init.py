"""Initialization page."""

from explainer.views.placeholder import render

render("lab-init")
