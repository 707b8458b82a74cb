"""My progress page."""

from explainer.views.placeholder import render

render("progress")
