"""Learn page: Dead units vs vanishing gradients (content in explainer/learn/content/dead_vs_vanishing.md)."""

from explainer.views.learn.page import render

render("dead-vs-vanishing")
