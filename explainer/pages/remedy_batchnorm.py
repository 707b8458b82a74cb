"""Learn page: Remedy: batch normalization (content in explainer/learn/content/remedy_batchnorm.md)."""

from explainer.views.learn.page import render

render("remedy-batchnorm")
