"""Learn page: Home (content in explainer/content/home.md)."""

from explainer.views.learn import render

render("home")
