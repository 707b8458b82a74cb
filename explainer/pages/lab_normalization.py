"""BatchNorm & residual page."""

from explainer.views.placeholder import render

render("lab-normalization")
