"""`python -m explainer.diagnose file.py:build_model`: the lab's gradient diagnosis for a model you define.

build_model() returns a model, (model, batch) or (model, batch, loss_fn); it is called once per seed under
torch.manual_seed(seed), so the seeds give a band over initialisations, as in the lab.
"""

from explainer.diagnose.target import default_batch, load_target, run

__all__ = ["default_batch", "load_target", "run"]
