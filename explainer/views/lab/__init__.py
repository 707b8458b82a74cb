"""Lab (experiment) pages: shared controls, URL handling, panels, and one module per page.

Importing this package (or any module in it) does not import torch: engine calls import it lazily.
"""
