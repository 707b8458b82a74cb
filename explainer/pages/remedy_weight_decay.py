"""Remedy: weight decay (L2) page."""

from explainer.views.placeholder import render

render("remedy-weight-decay")
