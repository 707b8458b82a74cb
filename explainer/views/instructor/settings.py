"""Deployment settings the views read: instructor secret and class code, from st.secrets or the environment."""

from __future__ import annotations

import os

import streamlit as st

from explainer.progress import auth


def _secrets():
    try:
        return st.secrets
    except Exception:  # noqa: BLE001 (no secrets.toml: fall back to the environment)
        return None


def instructor_secret() -> str | None:
    """The configured instructor secret (never displayed or logged), or None: the section is off."""
    return auth.configured(auth.SECRET_KEY, auth.SECRET_ENV, _secrets(), os.environ)


def class_code() -> str | None:
    """The class code learners type to join, or None: the server runs in self-study mode only."""
    return auth.configured(auth.CLASS_CODE_KEY, auth.CLASS_CODE_ENV, _secrets(), os.environ)
