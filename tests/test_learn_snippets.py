"""Every ```python block in explainer/learn/content/*.md runs as-is with torch, in a fresh namespace, quickly."""

import contextlib
import io
import time

import pytest

from explainer.learn import parser as cl

SNIPPETS = [(name, code) for name in cl.all_names() for code in cl.load(name).snippets]
MAX_SECONDS = 10.0  # each snippet must stay tiny: readers paste them into a notebook


@pytest.fixture(scope="module", autouse=True)
def _one_thread():
    """The machine's two cores are shared: snippets run single-threaded, then the setting is restored."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_there_are_snippets_to_run():
    """The content has runnable snippets (the parser found the fenced python blocks)."""
    assert len(SNIPPETS) >= 10


@pytest.mark.parametrize(("name", "code"), SNIPPETS, ids=[f"{n}.md:{c.line}" for n, c in SNIPPETS])
def test_snippet_runs(name, code):
    """The snippet executes without error (its own asserts check the facts it demonstrates) and is fast."""
    compiled = compile(code.source, f"explainer/learn/content/{name}.md:{code.line}", "exec")
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        exec(compiled, {"__name__": f"snippet_{name}_{code.line}"})  # noqa: S102 (our own content, by design)
    assert time.perf_counter() - start < MAX_SECONDS
    assert out.getvalue().strip(), "a snippet should print what it demonstrates"
