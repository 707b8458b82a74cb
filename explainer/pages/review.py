"""Review due page."""

from explainer.views.practice.review import render

render()
