"""Home page."""

from explainer.views.placeholder import render

render("home")
