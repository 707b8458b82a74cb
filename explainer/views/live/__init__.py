"""Live class pages: the presenter's projector view and the learners' Live session page."""
