"""Learn page: Remedy: batch normalization (content in explainer/content/remedy_batchnorm.md)."""

from explainer.views.learn import render

render("remedy-batchnorm")
