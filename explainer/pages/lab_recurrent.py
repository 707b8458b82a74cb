"""Recurrent nets page."""

from explainer.views.placeholder import render

render("lab-recurrent")
