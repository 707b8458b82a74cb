"""Compare remedies page."""

from explainer.views.placeholder import render

render("lab-compare")
