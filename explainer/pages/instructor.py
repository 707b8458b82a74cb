"""Class dashboard page."""

from explainer.views.placeholder import render

render("instructor")
