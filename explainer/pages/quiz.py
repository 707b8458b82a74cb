"""Practice quiz page (see explainer/views/practice/quiz_page.py)."""

from explainer.views.practice.quiz_page import render

render()
