"""With OIDC configured ([auth] in secrets), a signed-in user's progress is tied to issuer + subject."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import APP

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "s", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}


def _run(page: str, user: dict, script=None) -> AppTest:
    at = AppTest.from_function(script, default_timeout=30) if script else AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = user
    at.run()
    if not script:
        at.switch_page(page).run()
    return at


def _answer():
    from explainer.views.progress import tracking

    tracking.save_answer("oidc-q", "rnn", "x", 1.0, 5.0)


ADA = {"is_logged_in": True, "iss": "https://idp.example", "sub": "ada-123", "name": "Ada OIDC"}


def test_signed_in_progress_follows_the_account(app_db):
    """Ada's answer from one session shows in a new session of the same account, not in Bob's."""
    assert not _run("", ADA, _answer).exception
    mine = _run("explainer/pages/progress.py", ADA)
    assert {m.label: m.value for m in mine.metric}["Answers"] == "1"
    bob = _run("explainer/pages/progress.py", {**ADA, "sub": "bob-456", "name": "Bob"})
    assert not bob.metric


def test_join_page_offers_school_sign_in(app_db):
    """With [auth] configured and nobody signed in, the Join page shows the sign-in button."""
    at = _run("explainer/pages/join.py", {"is_logged_in": False})
    assert not at.exception
    assert at.button(key="oidc_login").label == "Sign in with your school account"
