"""Overview page."""

from explainer.views.placeholder import render

render("overview")
