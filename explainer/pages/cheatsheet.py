"""Cheat sheet page."""

from explainer.views.placeholder import render

render("cheatsheet")
