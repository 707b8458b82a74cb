"""Learn page: Cheat sheet (content in explainer/learn/content/cheatsheet.md)."""

from explainer.views.learn.page import render

render("cheatsheet")
