"""Learn page: Learning-rate warm-up (content in explainer/learn/content/warmup.md)."""

from explainer.views.learn.page import render

render("warmup")
