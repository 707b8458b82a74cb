"""Remedy: batch normalization page."""

from explainer.views.placeholder import render

render("remedy-batchnorm")
