"""Copy as code / download notebook: a lab experiment as standalone PyTorch that reproduces the app's numbers.

    from explainer.lab.export import notebook, script
    code = script("mlp", [("sigmoid", {"depth": 30, "activation": "sigmoid"})])   # str, runnable as a file
    nb = notebook("rnn", [("LSTM", {"cell": "lstm"})])                            # nbformat NotebookNode

`kind` is "mlp" (MLPConfig -> gradient_profile), "rnn" (RNNConfig -> bptt_profile), "train" (TrainConfig ->
train_run), "phase" (PhaseConfig -> phase_diagram with its mean-field theory), "transformer" (TransformerTrainConfig
-> transformer_train, plus the step-0 transformer_profile), "precision" (PrecisionTrainConfig -> precision_train,
plus precision_profile) or "digits" (DigitsConfig -> digits_train, plus digits_profile; the code needs
scikit-learn); `variants` is the page's list of (label, config dict), as explainer/lab/variants.py builds it.
Pure Python: no streamlit, no torch (the generated code imports torch, not this project).
"""

from explainer.lab.export.build import KINDS, cells, notebook, script

__all__ = ["KINDS", "cells", "notebook", "script"]
