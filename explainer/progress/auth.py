"""Secrets and keys: the instructor secret, the class code, learners' resume keys. Pure functions, no I/O.

The configured values are passed in (the views read them from st.secrets or the environment), so every
rule here is testable without Streamlit. Nothing in this module logs or returns a secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

SECRET_ENV = "GRADIENT_LAB_INSTRUCTOR_SECRET"
SECRET_KEY = "instructor_secret"  # key in .streamlit/secrets.toml
CLASS_CODE_ENV = "GRADIENT_LAB_CLASS_CODE"
CLASS_CODE_KEY = "class_code"
RESUME_KEY_BYTES = 18  # 144 random bits -> 24 URL-safe characters
RESUME_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MIN_SECRET_LENGTH = 12


def configured(name_in_secrets: str, env_name: str, secrets_map: Mapping | None, env: Mapping[str, str]) -> str | None:
    """A setting from the app's secrets (preferred) or the environment; None when unset or blank."""
    value = None
    if secrets_map is not None:
        try:
            value = secrets_map.get(name_in_secrets)
        except Exception:  # noqa: BLE001 (a broken secrets.toml must not take the page down)
            value = None
    if value is None or not str(value).strip():
        value = env.get(env_name)
    value = None if value is None else str(value).strip()
    return value or None


def secret_matches(candidate: str | None, configured_secret: str | None) -> bool:
    """True only if a secret is configured and `candidate` equals it (constant-time comparison)."""
    if not configured_secret or candidate is None:
        return False
    return hmac.compare_digest(candidate.encode("utf-8"), configured_secret.encode("utf-8"))


def normalize_class_code(code: str) -> str:
    """Class codes are typed by learners: case, surrounding and inner spaces do not matter."""
    return "".join(code.split()).upper()


def class_code_matches(candidate: str | None, configured_code: str | None) -> bool:
    if not configured_code or candidate is None:
        return False
    return secret_matches(normalize_class_code(candidate), normalize_class_code(configured_code))


def new_resume_key() -> str:
    """A fresh resume key: random (secrets module), unrelated to the learner's name."""
    return secrets.token_urlsafe(RESUME_KEY_BYTES)


def looks_like_resume_key(key: str | None) -> bool:
    return isinstance(key, str) and RESUME_KEY_RE.fullmatch(key) is not None


def digest(kind: str, value: str) -> str:
    """SHA-256 of a high-entropy token, domain-separated by `kind`; what the database stores instead.

    A fast hash is enough here: the inputs are random 144-bit keys (or a class code compared only for
    membership), not passwords, so there is nothing to brute-force from the digest.
    """
    return hashlib.sha256(f"gradient-lab:{kind}:{value}".encode()).hexdigest()


def resume_hash(key: str) -> str:
    return digest("resume", key)


def class_hash(code: str) -> str:
    return digest("class", normalize_class_code(code))


def oidc_hash(issuer: str | None, subject: str) -> str:
    return digest("oidc", f"{issuer or ''}|{subject}")
