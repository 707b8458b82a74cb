"""Render a parsed content Doc with Streamlit: headings with anchors, KaTeX, highlighted code, charts, links."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import streamlit as st

from explainer.core.sitemap import BY_PATH
from explainer.learn import parser as cl
from explainer.views.nav import link_to
from explainer.views.wire import altair_spec

TOC_MIN_SECTIONS = 5  # shorter pages need no table of contents
_CALLOUT = {
    "note": (st.info, ":material/info:"),
    "tip": (st.success, ":material/lightbulb:"),
    "warning": (st.warning, ":material/warning:"),
    "seed": (st.info, ":material/format_quote:"),
}


@functools.cache
def _spec(name: str) -> dict:
    """Built once per server, with its data as Arrow bytes (explainer.views.wire): every session gets the same dict,
    which nobody modifies (st.vega_lite_chart copies a spec before it changes it); st.cache_data would hash the name
    and unpickle a copy on every rerun of every session."""
    return altair_spec(_figures().FIGURES[name].build())


def _figures():
    """The figure builders, imported on the first figure: altair and pandas cost ~0.4 s of a cold start, and
    pages without figures (Home, the Interview answer) never need them."""
    from explainer.learn import figures

    return figures


def render_toc(doc: cl.Doc) -> None:
    """'On this page': anchor links to the `##` sections of a long page (collapsed, so phones scroll less)."""
    if len(doc.toc) < TOC_MIN_SECTIONS:
        return
    with st.expander("On this page", icon=":material/toc:"):
        st.markdown("\n".join(f"- [{h.text}](#{h.anchor})" for h in doc.toc))


def render_link(link: cl.Link) -> None:
    spec = BY_PATH.get(link.url_path)
    if spec is None:
        st.warning(f"Broken link in the content: no page {link.url_path!r}.", icon=":material/link_off:")
        return
    st.page_link(link_to(spec.url_path), label=link.label or spec.title, icon=spec.icon,
                 query_params=link.query or None)


def render_figure(name: str) -> None:
    known = _figures().FIGURES
    fig = known.get(name)
    if fig is None:
        st.warning(f"Unknown figure {name!r} in the content; known: {', '.join(known)}.")
        return
    st.vega_lite_chart(_spec(name), width="content" if fig.fixed_size else "stretch", alt=fig.alt)


# KaTeX glyphs overhang their box by a pixel or two, which makes a display formula a (tiny) scrollable region that
# keyboard users cannot reach (axe: scrollable-region-focusable); side padding gives the overhang room. Code keywords
# and function names are #1c83e1 on #f7f7f6 (3.6:1); WCAG AA needs 4.5:1, #0b5cad gives 6.4:1.
# Page-link labels (lab and quiz links in the text) wrap on a phone instead of being cut with an ellipsis, and wide
# tables fit the column (cells wrap) instead of sticking out of it.
MATH_CSS = ("<style>.katex-display { padding: 0 0.3em; } "
            ".stCode .token.keyword, .stCode .token.function { color: #0b5cad; } "
            "[data-testid=stPageLink] p { white-space: normal; overflow: visible; text-overflow: clip; } "
            "[data-testid=stMarkdownContainer] table { table-layout: fixed; width: 100%; } "
            "[data-testid=stMarkdownContainer] :is(td, th) { overflow-wrap: anywhere; }</style>")


def render_doc(doc: cl.Doc, slots: Mapping[str, Callable[[], None]] | None = None) -> None:
    """Title, table of contents, then every block in order."""
    slots = slots or {}
    st.html(MATH_CSS)
    st.title(doc.title)
    render_toc(doc)
    for block in doc.blocks:
        match block:
            case cl.Heading(level=2):
                st.header(block.text, anchor=block.anchor)
            case cl.Heading():
                st.subheader(block.text, anchor=block.anchor)
            case cl.Markdown():
                st.markdown(block.text)
            case cl.Latex():
                st.latex(block.body)
            case cl.Code():
                st.code(block.source.rstrip("\n"), language=block.language, wrap_lines=True)
            case cl.Figure():
                render_figure(block.name)
            case cl.Link():
                render_link(block)
            case cl.Callout():
                box, icon = _CALLOUT[block.kind]
                box(block.text, icon=icon)
            case cl.Slot():
                fill = slots.get(block.name)
                if fill is None:
                    st.warning(f"Unknown slot {block.name!r} in the content.")
                else:
                    fill()
