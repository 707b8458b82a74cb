"""Review due page."""

from explainer.views.placeholder import render

render("review")
