"""The content parser: blocks, anchors, directives, and clear errors for malformed files."""

import os

import pytest

from explainer.learn import parser as cl

SAMPLE = """# Title

Intro with $x^2$ inline.

## First part

$$a = b$$

```python
# a comment, not a heading
print(1)
```

::figure sigmoid
::link lab-init?init=he_normal&depth=50 | Try it
::link quiz?topic=vanishing&topic=exploding
::slot class_presets

### First part

$$
c = d
$$

:::note
Boxed **text** with [a link](/overview).
:::
"""


def test_parse_splits_blocks_in_order():
    """Title, markdown, headings, display math, code, directives and callouts come out as typed blocks in order."""
    doc = cl.parse(SAMPLE, "sample.md")
    assert doc.title == "Title"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Markdown", "Heading", "Latex", "Code", "Figure", "Link", "Link", "Slot", "Heading", "Latex",
                     "Callout"]
    code = doc.snippets[0]
    assert code.source == "# a comment, not a heading\nprint(1)\n" and code.line == 9
    assert [b.body for b in doc.of(cl.Latex)] == ["a = b", "c = d"]


def test_links_parse_path_query_and_label():
    """`::link path?k=v | label` keeps the query pairs (repeats too); the label is optional."""
    links = cl.parse(SAMPLE).of(cl.Link)
    assert links[0] == cl.Link("lab-init", (("init", "he_normal"), ("depth", "50")), "Try it")
    assert links[1] == cl.Link("quiz", (("topic", "vanishing"), ("topic", "exploding")), None)


def test_anchors_are_ascii_slugs_and_unique():
    """Headings get '-'-joined ascii anchors without math; a repeated heading gets a numbered anchor."""
    doc = cl.parse(SAMPLE)
    assert [h.anchor for h in doc.of(cl.Heading)] == ["first-part", "first-part-2"]
    slug = cl.slugify("Cause 1: the sigmoid's derivative is at most $1/4$")
    assert slug == "cause-1-the-sigmoid-s-derivative-is-at-most"
    assert [h.text for h in doc.toc] == ["First part"]


def test_markdown_links_are_found_in_text_and_callouts():
    """Inline [label](target) links are collected from markdown and callout blocks (not images)."""
    doc = cl.parse("# T\n\nSee [x](/vanishing) and ![img](pic.png).\n:::tip\n[y](/quiz?topic=rnn)\n:::\n")
    assert doc.markdown_links == [("x", "/vanishing"), ("y", "/quiz?topic=rnn")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no title\n", "first line must be the page title"),
        ("# T\n\n```python\nprint(1)\n", "sample.md:3: code block opened here is never closed"),
        ("# T\n$$\nx\n", "sample.md:2: display math opened here is never closed"),
        ("# T\n:::note\nx\n", "sample.md:2: callout opened here is never closed"),
        ("# T\n:::danger\nx\n:::\n", "sample.md:2: unknown callout 'danger'"),
        ("# T\n::chart foo\n", "sample.md:2: bad directive '::chart foo'"),
        ("# T\n::figure\n", "sample.md:2: bad directive"),
    ],
)
def test_malformed_content_names_file_and_line(text, message):
    """Each malformed construct raises ContentError whose message names the file, the line and the problem."""
    with pytest.raises(cl.ContentError, match=message.replace("(", r"\(")):
        cl.parse(text, "sample.md")


def test_load_rereads_a_file_when_it_changes(tmp_path, monkeypatch):
    """Authors edit content live: load() returns the new text once the file's mtime changes."""
    monkeypatch.setattr(cl, "CONTENT_DIR", tmp_path)
    page = tmp_path / "p.md"
    page.write_text("# One\n")
    assert cl.load("p").title == "One"
    page.write_text("# Two\n")
    st = page.stat()
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert cl.load("p").title == "Two"
    with pytest.raises(cl.ContentError, match="no content file"):
        cl.load("missing")
