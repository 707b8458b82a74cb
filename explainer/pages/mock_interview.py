"""Mock interview page."""

from explainer.views.placeholder import render

render("mock-interview")
