"""Learn page: Remedy: weight decay (L2) (content in explainer/learn/content/remedy_weight_decay.md)."""

from explainer.views.learn.page import render

render("remedy-weight-decay")
