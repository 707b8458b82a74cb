"""The layout's rules, read from the source: who may import streamlit, torch and the Streamlit shell.

- streamlit: only the router (streamlit_app.py), the page scripts and explainer/views/ (the shell).
- torch: only the engine (explainer/experiments/), and never at module level in the torch-free packages
  (explainer/core, lab, learn, live, progress, store, questions): those may only import it inside a function.
- questions/ never imports the shell (explainer.views, explainer.pages).
- activation names ("gelu", "sigmoid", ...) are restated (compared, listed, keying a dict) only in the engine's
  configs and activation records, and "gelu" appears nowhere else at all: adding an activation edits one record.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

SHELL = ("explainer/views/", "explainer/pages/", "streamlit_app.py")
TORCH_FREE = ("explainer/core/", "explainer/lab/", "explainer/learn/", "explainer/live/", "explainer/progress/",
              "explainer/store/", "questions/")
ENGINE_RECORDS = ("explainer/experiments/configs.py", "explainer/experiments/activations.py")
# Not option logic: legend colours keyed by display label, and the free-text grader's vocabulary of words.
WORDS_NOT_OPTIONS = ("explainer/core/palette.py", "questions/claims/")


def sources() -> list[Path]:
    return sorted(p for d in ("explainer", "questions") for p in (ROOT / d).rglob("*.py")) + [ROOT / "streamlit_app.py"]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imports(tree: ast.AST, top_level_only: bool) -> list[tuple[str, int]]:
    """(module, line) of every import; with top_level_only, only those not inside a function body."""
    found = []
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # module level, including inside if/try blocks, but not inside def/class bodies
        nodes = [n for stmt in tree.body if not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                 for n in ast.walk(stmt)]
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, node.lineno)] + [(f"{node.module}.{a.name}", node.lineno) for a in node.names]
    return found


def violations(rule) -> list[str]:
    out = []
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += [f"{rel(path)}:{line} imports {mod}" for mod, line in rule(rel(path), tree)]
    return out


def test_only_the_shell_imports_streamlit():
    """streamlit is imported by the router, the page scripts and explainer/views only."""
    def rule(name, tree):
        if name.startswith(SHELL):
            return []
        return [(m, n) for m, n in imports(tree, top_level_only=False) if m.split(".")[0] == "streamlit"]
    assert violations(rule) == []


def test_torch_free_packages_do_not_import_torch_at_module_level():
    """Core, lab, learn, progress, store and questions load without torch (a function may import it lazily)."""
    def rule(name, tree):
        if not name.startswith(TORCH_FREE):
            return []
        return [(m, n) for m, n in imports(tree, top_level_only=True) if m.split(".")[0] == "torch"]
    assert violations(rule) == []


def test_the_shell_never_imports_torch_at_module_level():
    """Views call the engine through cached functions that import it when a run is needed."""
    def rule(name, tree):
        if not name.startswith(SHELL):
            return []
        return [(m, n) for m, n in imports(tree, top_level_only=True) if m.split(".")[0] == "torch"]
    assert violations(rule) == []


def test_questions_do_not_import_the_shell():
    """The question bank and quiz engine are plain Python: no explainer.views or explainer.pages."""
    def rule(name, tree):
        if not name.startswith("questions/"):
            return []
        return [(m, n) for m, n in imports(tree, top_level_only=False)
                if m.startswith(("explainer.views", "explainer.pages"))]
    assert violations(rule) == []


def test_no_loose_modules_at_the_top_of_explainer():
    """explainer/ holds feature packages only (core, experiments, lab, learn, progress, store, views, pages)."""
    loose = [p.name for p in (ROOT / "explainer").glob("*.py") if p.name != "__init__.py"]
    assert loose == []


def option_names() -> set[str]:
    """The activation names: adding an activation must edit one record (explainer/experiments/activations.py)."""
    from explainer.experiments.configs import ACTIVATIONS

    return set(ACTIVATIONS)


def restated_options(tree: ast.AST, names: set[str]) -> list[str]:
    """Option literals used as logic: compared, keying a dict, or listed with other options (a restated set).

    Choosing one option as a value (a page default, a remedy's target) is fine; "gelu" may not appear at all.
    """
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in names):
            continue
        parent = parents.get(id(n))
        listed = isinstance(parent, ast.Tuple | ast.List | ast.Set) and sum(
            isinstance(e, ast.Constant) and e.value in names for e in parent.elts) > 1
        keyed = isinstance(parent, ast.Dict) and any(k is n for k in parent.keys)
        if n.value == "gelu" or listed or keyed or isinstance(parent, ast.Compare | ast.MatchValue):
            found.append(f"line {n.lineno}: {n.value!r}")
    return found


@pytest.mark.parametrize("path", [p for p in sources() if not rel(p).startswith(ENGINE_RECORDS + WORDS_NOT_OPTIONS)],
                         ids=rel)
def test_activation_names_are_restated_only_in_the_engine_records(path):
    """No if-chain, dict or tuple restates activations ("gelu", "sigmoid"...) outside configs/activations records."""
    assert restated_options(ast.parse(path.read_text(encoding="utf-8")), option_names()) == []
