"""Interview answer page."""

from explainer.views.placeholder import render

render("interview")
