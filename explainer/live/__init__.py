"""Teaching live, without streamlit: lessons (an ordered list of steps), their YAML form with located errors,
what a live answer is, how a class's answers are tallied and charted. The state of a running session lives in
the store (explainer.store.live); the presenter and learner pages are in explainer.views.live.
"""
