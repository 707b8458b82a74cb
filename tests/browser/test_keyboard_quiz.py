"""Chromium, keyboard only (WCAG 2.1.1): a 3-question quiz taken with Tab, Shift+Tab, arrows, Space, Enter and typing,
from its preset link to the summary; and every chart on a lab page keeps its one-sentence summary and data table.

No mouse, no element.click() and no fill(): every step moves the focus with the keyboard, asserts that the focused
element (document.activeElement) is the control meant, and only then presses a key on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.browser.conftest import open_page, wait_idle

pytestmark = pytest.mark.browser
QUIZ = "topic=exploding&n=3&seed=6"  # a single-choice, a numeric and a free-response question, in that order
PATIENCE = 90_000  # ms: the 2 cores are shared with other test runs
TAB_LIMIT = 90  # the sidebar has about 40 links: a control further than this from the focus is not reachable

FOCUSED = """() => {
  const e = document.activeElement;
  const box = e && e.closest('[data-testid]');
  const form = e && e.closest('[data-testid=stForm]');
  return {tag: e ? e.tagName : '', type: (e && e.type) || '', role: (e && e.getAttribute('role')) || '',
          label: (e && (e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText))) || '',
          text: ((e && e.innerText) || '').trim(), value: (e && e.value) || '', checked: !!(e && e.checked),
          ariaChecked: (e && e.getAttribute('aria-checked')) || '', testid: box ? box.getAttribute('data-testid') : '',
          inForm: !!form};
}"""

Match = Callable[[dict], bool]


def focused(pg) -> dict:
    """What document.activeElement is: tag, type, role, accessible label, text, value, checked state, container."""
    return pg.evaluate(FOCUSED)


def button(name: str) -> Match:
    return lambda el: el["tag"] == "BUTTON" and el["text"].endswith(name)


def field(tag: str, type_: str = "") -> Match:
    return lambda el: el["tag"] == tag and el["inForm"] and (not type_ or el["type"] == type_)


def tab_to(pg, what: str, match: Match, key: str = "Tab") -> dict:
    """Press Tab (or Shift+Tab) until `what` has the focus; fail, naming the last focused element, if it never does."""
    el: dict = {}
    for _ in range(TAB_LIMIT):
        pg.keyboard.press(key)
        el = focused(pg)
        if match(el):
            return el
    raise AssertionError(f"{what} is not reachable with {key} ({TAB_LIMIT} presses); last focused: {el}")


def press_on(pg, what: str, match: Match, key: str) -> None:
    """Press `key` only after checking that `what` is the focused element."""
    el = focused(pg)
    assert match(el), f"expected {what} to have the focus before pressing {key}, found {el}"
    pg.keyboard.press(key)


def form_kind(pg) -> str:
    """Which answer widget the open form shows: choice, options, numeric or free."""
    form = pg.locator("[data-testid=stForm]").first
    form.wait_for()
    if form.locator("[data-testid=stRadio]").count():
        return "choice"
    if form.locator("[data-testid=stCheckbox]").count():
        return "options"
    return "free" if form.locator("textarea").count() else "numeric"


def answer_by_keyboard(pg, kind: str) -> None:
    """Answer the open form with the keyboard alone and submit it (right or wrong does not matter)."""
    if kind == "choice":
        tab_to(pg, "the first answer option", lambda el: el["type"] == "radio" and el["inForm"])
        press_on(pg, "an answer option", lambda el: el["type"] == "radio", "ArrowDown")  # arrows move and select
        assert focused(pg)["checked"], "ArrowDown in the radio group did not select the next option"
    elif kind == "options":
        tab_to(pg, "the first checkbox", lambda el: el["type"] == "checkbox" and el["inForm"])
        press_on(pg, "a checkbox", lambda el: el["type"] == "checkbox", "Space")
        assert focused(pg)["checked"], "Space did not tick the checkbox"
    elif kind == "numeric":
        tab_to(pg, "the answer box", field("INPUT", "text"))
        pg.keyboard.type("2")
        assert focused(pg)["value"] == "2"
        press_on(pg, "the answer box", field("INPUT", "text"), "Enter")  # Enter submits the form
        return
    else:
        tab_to(pg, "the answer text area", field("TEXTAREA"))
        pg.keyboard.type("Clipping rescales the gradient when its norm exceeds a threshold, so one huge gradient "
                         "cannot throw the weights far away.")
    tab_to(pg, "Check answer", button("Check answer"))
    press_on(pg, "Check answer", button("Check answer"), "Enter")


def rate_by_keyboard(pg) -> None:
    """The self-rating after a free answer: Tab into the group, arrows to Good, Space to choose it."""
    is_rating = lambda el: el["role"] == "radio" and el["testid"] == "stButtonGroup"  # noqa: E731
    tab_to(pg, "the self-rating", is_rating)
    for _ in range(3):
        if focused(pg)["text"].startswith("Good"):
            break
        press_on(pg, "a rating", is_rating, "ArrowRight")
    press_on(pg, "the rating Good", lambda el: is_rating(el) and el["text"].startswith("Good"), "Space")
    wait_idle(pg)
    chosen = pg.locator("[data-testid=stButtonGroup] [role=radio][aria-checked=true]")
    assert chosen.count() == 1 and chosen.inner_text().startswith("Good"), "Space did not choose the rating"


def test_three_question_quiz_with_the_keyboard_only(page, app_url):
    """From the preset link to the summary with keys alone; each control has the focus before it is operated."""
    page.set_default_timeout(PATIENCE)
    open_page(page, app_url, "quiz", QUIZ)
    tab_to(page, "Start quiz", button("Start quiz"))
    seed = tab_to(page, "the seed box", lambda el: el["type"] == "number", key="Shift+Tab")
    assert seed["value"] == "6" and seed["label"].startswith("Seed"), f"the link's seed was not applied: {seed}"
    tab_to(page, "Start quiz", button("Start quiz"))
    press_on(page, "Start quiz", button("Start quiz"), "Enter")
    kinds = []
    for i in range(3):
        page.get_by_text(f"Question {i + 1} of 3", exact=True).wait_for()
        wait_idle(page)
        kinds.append(form_kind(page))
        answer_by_keyboard(page, kinds[-1])
        page.get_by_text("Why", exact=True).wait_for()  # the feedback replaced the form
        wait_idle(page)
        if kinds[-1] == "free":
            rate_by_keyboard(page)
        name = "See results" if i == 2 else "Next question"
        tab_to(page, name, button(name))
        press_on(page, name, button(name), "Enter")
    assert "choice" in kinds and {"numeric", "free"} <= set(kinds), f"{QUIZ} now asks {kinds}: pick another seed"
    page.get_by_text("Results", exact=True).wait_for()
    wait_idle(page)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert re.search(r"Score\s+\d+\.\d\d / 3", main), main[:400]
    tables = "Per topic and per difficulty (table)"
    tab_to(page, "the summary's table expander", lambda el: el["tag"] == "SUMMARY" and tables in el["text"])
    press_on(page, "the summary's table expander", lambda el: el["tag"] == "SUMMARY", "Enter")
    page.locator("[data-testid=stExpander]", has_text=tables).locator("[data-testid=stDataFrame]").first.wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []


PANELS = """() => {
  const sel = ['stVegaLiteChart', 'stCaptionContainer'].map(t => `[data-testid=stMain] [data-testid=${t}]`)
    .concat(['[data-testid=stMain] [data-testid=stExpander] summary']).join(', ');
  const panels = [];
  for (const el of document.querySelectorAll(sel)) {
    const last = panels[panels.length - 1];
    if (el.getAttribute('data-testid') === 'stVegaLiteChart') {
      panels.push({alt: el.getAttribute('aria-label') || '', caption: '', table: false});
    } else if (last && el.tagName === 'SUMMARY') {
      last.table = last.table || el.innerText.includes('Data table and CSV');
    } else if (last && !last.caption) {
      last.caption = el.innerText.trim();
    }
  }
  return panels;
}"""


def test_every_lab_chart_keeps_its_summary_sentence_and_data_table(page, app_url):
    """On the Activations lab, each chart is followed by its summary sentence (also its alt text) and a
    "Data table and CSV" expander: the chart's content is there for a screen reader, not only as a picture."""
    page.set_default_timeout(PATIENCE)
    open_page(page, app_url, "lab-activations")
    charts = 3  # gradient norms, saturated/dead units, the activation curves
    page.wait_for_function(f"document.querySelectorAll('[data-testid=stMain] [data-testid=stVegaLiteChart]').length"
                           f" >= {charts}", timeout=PATIENCE)
    wait_idle(page, PATIENCE)
    panels = page.evaluate(PANELS)
    assert len(panels) >= charts, panels
    for panel in panels:
        assert re.fullmatch(r"\S.{20,}[.)]", panel["caption"], re.S), f"no summary sentence under {panel['alt']!r}"
        assert panel["caption"] in panel["alt"], f"the alt text does not carry the summary: {panel}"
        assert panel["table"], f"no 'Data table and CSV' under {panel['alt']!r}"
