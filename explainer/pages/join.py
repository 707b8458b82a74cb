"""Join a class page."""

from explainer.views.placeholder import render

render("join")
