"""Gradient Lab: theory, experiments and practice on vanishing and exploding gradients."""
