"""Learner and class progress without streamlit: analytics, spaced repetition, secrets, bank uploads, charts."""
