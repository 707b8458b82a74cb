"""Mock interview page (see explainer/views/practice/interview_page.py)."""

from explainer.views.practice.interview_page import render

render()
