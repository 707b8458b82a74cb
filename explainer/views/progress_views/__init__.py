"""Views for progress, spaced review, joining a class and the instructor section (the store issue's pages)."""
