"""Instructor secret, class code and resume keys: constant-time checks, no secret leaks, unguessable keys."""

from __future__ import annotations

import hmac

import pytest

from explainer.progress import auth


def test_secret_matches_only_the_configured_secret():
    """Right secret -> True; wrong, empty, None, or nothing configured -> False."""
    assert auth.secret_matches("correct horse battery", "correct horse battery")
    for candidate, configured in (("wrong", "right-secret"), ("", "right-secret"), (None, "right-secret"),
                                  ("anything", None), ("", ""), ("right-secre", "right-secret")):
        assert not auth.secret_matches(candidate, configured)


def test_comparison_is_constant_time(monkeypatch):
    """The check goes through hmac.compare_digest (no early-exit string comparison)."""
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    auth.secret_matches("guess", "secret")
    assert calls == [(b"guess", b"secret")]


def test_configured_prefers_secrets_then_env():
    """st.secrets wins over the environment; blanks count as unset; a broken secrets object falls back to env."""
    env = {auth.SECRET_ENV: "from-env"}
    assert auth.configured(auth.SECRET_KEY, auth.SECRET_ENV, {auth.SECRET_KEY: "from-secrets"}, env) == "from-secrets"
    assert auth.configured(auth.SECRET_KEY, auth.SECRET_ENV, {auth.SECRET_KEY: "  "}, env) == "from-env"
    assert auth.configured(auth.SECRET_KEY, auth.SECRET_ENV, None, {}) is None

    class Broken:
        def get(self, _key):
            raise FileNotFoundError("no secrets.toml")

    assert auth.configured(auth.SECRET_KEY, auth.SECRET_ENV, Broken(), env) == "from-env"


def test_class_code_ignores_case_and_spaces():
    """Learners may type 'ml 101' for 'ML101'; another code does not match; no code configured matches nothing."""
    assert auth.class_code_matches("ml 101", "ML101")
    assert not auth.class_code_matches("ML102", "ML101")
    assert not auth.class_code_matches("ML101", None)
    assert auth.class_hash("ml 101") == auth.class_hash("ML101")


def test_resume_keys_are_random_and_well_formed():
    """Keys come from the secrets module: 1000 draws are distinct, URL-safe, 144 bits, recognised by the checker."""
    keys = {auth.new_resume_key() for _ in range(1000)}
    assert len(keys) == 1000
    assert all(auth.looks_like_resume_key(k) and len(k) == 24 for k in keys)


@pytest.mark.parametrize("bad", [None, "", "short", "has space in it 12345678", "x" * 65, "ü" * 24, "a/b" * 8])
def test_malformed_keys_are_rejected(bad):
    """Anything that is not a plausible key is refused before it reaches the database."""
    assert not auth.looks_like_resume_key(bad)


def test_hashes_are_domain_separated():
    """The same text hashes differently as a resume key, a class code and an OIDC subject."""
    value = "ABCDEFGHIJKLMNOPQRSTUVWX"
    assert len({auth.resume_hash(value), auth.class_hash(value), auth.oidc_hash(None, value)}) == 3
