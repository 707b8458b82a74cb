"""Learn page: Cheat sheet (content in explainer/content/cheatsheet.md)."""

from explainer.views.learn import render

render("cheatsheet")
