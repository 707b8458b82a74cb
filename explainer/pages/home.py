"""Learn page: Home (content in explainer/learn/content/home.md)."""

from explainer.views.learn.page import render

render("home")
