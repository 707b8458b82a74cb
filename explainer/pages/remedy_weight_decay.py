"""Learn page: Remedy: weight decay (L2) (content in explainer/content/remedy_weight_decay.md)."""

from explainer.views.learn import render

render("remedy-weight-decay")
