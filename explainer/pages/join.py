"""Join a class page."""

from explainer.views.instructor.join import render

render()
