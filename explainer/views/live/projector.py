"""The projector's look and keys: large type with the sidebar and header hidden, arrow keys and space driving the
step buttons, and the join QR code (segno, drawn as a PNG here: no network, no JavaScript)."""

from __future__ import annotations

import functools
import io

import segno
import streamlit as st

NEXT_KEY, PREV_KEY = "present_next", "present_prev"  # the buttons the keys press (Streamlit adds .st-key-<key>)

STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.2rem 3rem 2rem 3rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.9rem; line-height: 1.45; }
[data-testid="stMain"] h1 { font-size: 3.2rem; }
[data-testid="stMain"] h2 { font-size: 2.5rem; }
[data-testid="stMain"] h3 { font-size: 2.1rem; }
[data-testid="stMain"] .katex { font-size: 1.25em; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.25rem; }
.st-key-present_code p { font-size: 3.4rem; font-weight: 700; letter-spacing: 0.3rem; margin: 0; }
/* a lab step shows the lab page's charts and diagnosis, not its controls (apply a remedy, data tables, CSV) */
.st-key-apply_remedy, [class*="st-key-table_"], [class*="st-key-csv_"] { display: none; }
</style>"""

# Keys the presenter uses (a remote clicker sends PageUp/PageDown). Typing in a field is never captured, and a
# press on a focused button is taken over so space cannot click that button as well.
KEYS_SCRIPT = """<script>
(() => {
  if (window.__glPresenterKeys) return;
  window.__glPresenterKeys = true;
  const target = {ArrowRight: "NEXT", " ": "NEXT", PageDown: "NEXT", ArrowLeft: "PREV", PageUp: "PREV"};
  document.addEventListener("keydown", (event) => {
    const key = target[event.key];
    const el = event.target;
    if (!key || event.altKey || event.ctrlKey || event.metaKey) return;
    if (el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable)) return;
    const button = document.querySelector(".st-key-" + key + " button");
    if (!button || button.disabled) return;
    event.preventDefault();
    if (el && el.blur) el.blur();
    button.click();
  });
})();
</script>""".replace("NEXT", NEXT_KEY).replace("PREV", PREV_KEY)


def projector_style() -> None:
    """Large type, full width, no sidebar or header: for this page only (the style goes when the page does)."""
    st.html(STYLE)


def step_keys() -> None:
    """→, space and PageDown press Next; ← and PageUp press Previous (one listener per browser tab)."""
    st.html(KEYS_SCRIPT, unsafe_allow_javascript=True)


@functools.lru_cache(maxsize=16)
def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG (error correction M: still reads from the back of a room with glare)."""
    buf = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buf, kind="png", scale=10, border=2)
    return buf.getvalue()
