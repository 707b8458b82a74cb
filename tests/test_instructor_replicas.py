"""Two app replicas on one real PostgreSQL, behind deploy/nginx.conf: what one replica records, the other's
instructor dashboard shows; nginx keeps each browser on one replica and upgrades the websocket; a live class
runs with the presenter on one replica and learners on the other."""

from __future__ import annotations

import base64
import contextlib
import os
import socket

import pytest

from bench.agent import Session
from bench.server import running_app
from explainer.store import lessons, live
from explainer.store.config import make_engine
from explainer.store.schema import ensure_schema
from questions import load_banks
from questions.loader import default_paths
from tests.pg_fixture import shared_server
from tests.replicas import CookieSession, Nginx, answer_quiz_question, start_quiz

pytestmark = pytest.mark.postgres
SECRET = "replica-test-secret-0123456789"
CODE = "REPLICA1"


@pytest.fixture(scope="module")
def database() -> str:
    """URL of the fresh PostgreSQL database the replicas share (tests may seed it directly)."""
    return shared_server().new_database()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, database):
    """(replica A url, replica B url, nginx) sharing one fresh PostgreSQL database."""
    url = database
    env = {"DATABASE_URL": url, "GRADIENT_LAB_INSTRUCTOR_SECRET": SECRET, "GRADIENT_LAB_CLASS_CODE": CODE,
           "STREAMLIT_SERVER_COOKIE_SECRET": "same-on-every-replica"}
    with contextlib.ExitStack() as stack:  # unwinds in reverse: nginx stops first, then the replicas
        bases = [stack.enter_context(running_app(tmp_path_factory.mktemp(f"replica-{name}"), env=env))[1]
                 for name in ("a", "b")]
        proxy = Nginx(tmp_path_factory.mktemp("nginx"), [int(base.rsplit(":", 1)[1]) for base in bases])
        stack.callback(proxy.stop)
        yield bases[0], bases[1], proxy


def join(session: Session, name: str) -> str:
    """Join the class through the Join page; return the resume key the page shows."""
    session.open("join")
    session.click("join_submit", join_code=CODE, join_name=name)
    assert not session.exceptions(), session.exceptions()
    return next(n["props"]["body"] for n in session.nodes("code"))


def dashboard(session: Session) -> dict:
    """Sign in on the instructor page; return its metrics by label (none before anyone joined the class)."""
    session.open("instructor")
    session.click("instructor_login", instructor_secret_input=SECRET)
    assert not session.exceptions(), session.exceptions()
    return {n["props"]["label"]: n["props"]["value"] for n in session.nodes("metric")}


def test_attempt_on_one_replica_shows_on_the_other(cluster):
    """A learner joins and answers a quiz question through replica A; replica B's instructor dashboard
    counts the new learner and the new answer (one shared PostgreSQL, no shared memory)."""
    a, b, _ = cluster
    before = dashboard(Session(b))
    learner = Session(a)
    join(learner, "Ada on A")
    start_quiz(learner, "exploding", 3, 11)
    answer_quiz_question(learner, 0)
    after = dashboard(Session(b))
    assert after["Learners"] == before.get("Learners", 0) + 1
    assert after["Answers"] == before.get("Answers", 0) + 1


def test_routing_cookie_is_sticky_and_spreads_browsers(cluster):
    """The first response sets gl_route; every later request with it reaches the same replica, and
    different browsers are spread over both replicas (unlike ip_hash, all from one address here)."""
    *_, proxy = cluster
    routes = {}
    for _ in range(16):
        browser = CookieSession(proxy.base)
        assert browser.get("/") == 200
        route = browser.cookie("gl_route")
        assert route and len(route) == 32
        for _ in range(3):
            browser.get("/_stcore/health")
        routes[route] = {up for up, r in proxy.upstreams() if r == route}
    assert all(len(ups) == 1 for ups in routes.values()), routes
    assert len({next(iter(ups)) for ups in routes.values()}) == 2


def test_websocket_upgrade_through_nginx(cluster):
    """GET /_stcore/stream with Upgrade headers is switched to a websocket (101) through the proxy."""
    *_, proxy = cluster
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1:{proxy.port}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Origin: {proxy.base}\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as sock:
        sock.sendall(request.encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert b" 101 " in status_line, status_line


def test_sessions_through_nginx_stay_on_their_replica(cluster):
    """A learner and an instructor driving multi-step sessions through nginx never lose their session
    (a request routed to the other replica would not know the session id), and the dashboard sees the join."""
    *_, proxy = cluster
    instructor = CookieSession(proxy.base)
    instructor.get("/")
    before = dashboard(instructor).get("Learners", 0)
    learner = CookieSession(proxy.base)
    learner.get("/")
    join(learner, "Grace via nginx")
    start_quiz(learner, "rnn", 3, 2)
    for i in range(3):
        answer_quiz_question(learner, i)
        learner.click(f"quiz_next_{i}")
    learner.open("progress")
    assert {n["props"]["label"]: n["props"]["value"] for n in learner.nodes("metric")}["Answers"] == 3
    instructor.open("instructor")
    metrics = {n["props"]["label"]: n["props"]["value"] for n in instructor.nodes("metric")}
    assert metrics["Learners"] == before + 1


def _text(session: Session) -> str:
    """Every markdown, caption and alert body of the session's last run, for "is it on screen" checks."""
    return "\n".join(str(n.get("props", {}).get("body", "")) for n in session.nodes())


def _answers_on_projector(presenter: Session) -> int:
    presenter.open("present")
    return int(next(n["props"]["value"] for n in presenter.nodes("metric") if n["props"]["label"] == "Answers"))


def test_live_question_across_replicas(cluster, database):
    """A presenter on replica A opens a question step; a learner on replica B and one through nginx see it and
    answer; the projector on A counts both and its Reveal reaches B. Only the shared database connects them."""
    a, b, proxy = cluster
    question = next(q for q in load_banks(default_paths()).questions if q.type == "single_choice")
    engine = make_engine(database)
    try:
        ensure_schema(engine)  # the replicas migrate on first use; this test may be the first
        lessons.save_lesson(engine, "Replica lesson", f"title: Replica lesson\nsteps:\n  - learn: vanishing\n"
                                                      f"  - question: {question.id}\n", 2)
        presenter = Session(a)
        presenter.open("present")
        presenter.click("instructor_login", instructor_secret_input=SECRET)
        presenter.click("present_start")
        presenter.click("present_next")
        assert not presenter.exceptions(), presenter.exceptions()
        state = live.active(engine)
        assert state.step == 1
        choice, check = f"live_{state.id}_1_choice", f"live_{state.id}_1_check"
        for learner, name in ((Session(b), "Ada on B"), (CookieSession(proxy.base), "Bo via nginx")):
            learner.open("live", query_params={"code": state.code})
            learner.click("live_join", live_name=name)
            assert learner.node(choice) is not None, learner.actions()  # the question the presenter opened
            learner.click(check, **{choice: learner.node(choice)["props"]["options"][0]})
            assert "Your answer is in" in _text(learner) and not learner.exceptions(), learner.exceptions()
        assert _answers_on_projector(presenter) == 2
        presenter.click("present_reveal")
        assert "**Answer:**" in _text(presenter)
        learner = Session(b)
        learner.open("live", query_params={"code": state.code})
        learner.click("live_join", live_name="Cy on B")
        assert "Answers are closed" in _text(learner)
    finally:
        engine.dispose()
