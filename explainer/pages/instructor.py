"""Class dashboard page (instructor only)."""

from explainer.views.instructor.page import render

render()
