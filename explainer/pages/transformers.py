"""Learn page: Transformers: norms and loss spikes (content in explainer/learn/content/transformers.md)."""

from explainer.views.learn.page import render

render("transformers")
