"""Weight decay page."""

from explainer.views.placeholder import render

render("lab-weight-decay")
