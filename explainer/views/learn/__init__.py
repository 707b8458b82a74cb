"""Views of the Learn section: markdown pages with math, code and figures."""
