"""Instructor page: Presenter (a lesson on the projector, one step at a time; instructor only)."""

from explainer.views.live.present import render

render()
