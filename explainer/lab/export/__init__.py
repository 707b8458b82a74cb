"""Copy as code / download notebook: a lab experiment as standalone PyTorch that reproduces the app's numbers.

    from explainer.lab.export import notebook, script
    code = script("mlp", [("sigmoid", {"depth": 30, "activation": "sigmoid"})])   # str, runnable as a file
    nb = notebook("rnn", [("LSTM", {"cell": "lstm"})])                            # nbformat NotebookNode

`kind` is "mlp" (MLPConfig -> gradient_profile), "rnn" (RNNConfig -> bptt_profile) or "train" (TrainConfig ->
train_run); `variants` is the page's list of (label, config dict), as explainer/lab/variants.py builds it.
Pure Python: no streamlit, no torch (the generated code imports torch, not this project).
"""

from explainer.lab.export.build import KINDS, cells, notebook, script

__all__ = ["KINDS", "cells", "notebook", "script"]
