"""Practice quiz page."""

from explainer.views.placeholder import render

render("quiz")
