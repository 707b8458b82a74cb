"""Learn content files: they parse, every link and figure resolves, every page links to its lab and its quiz."""

import re

import pytest

from explainer.core.sitemap import BY_PATH, LAB_PATHS, PAGES, TOPIC_BY_SLUG, TOPICS
from explainer.core.urls import check_query
from explainer.lab.specs import LABS
from explainer.learn import parser as cl
from explainer.learn.figures import FIGURES
from explainer.views.learn.page import content_name

LEARN = [p.url_path for p in PAGES if p.section == "Learn"]
DOCS = {path: cl.load(content_name(path)) for path in LEARN}
REMEDY_SKELETON = ["Intuition", "The math", "What you will see in the experiment", "When to use", "Pitfalls",
                   "PyTorch snippet", "Papers"]
SEED_SPOKEN_ANSWER = (
    '"Vanishing and Exploding gradients are common issues in deep networks. **Vanishing gradients** happen when '
    "the signal becomes too weak during backpropagation, often due to activation functions like Sigmoid where the "
    "derivative is very small. To solve this, I would use **ReLU**, apply **Batch Normalization**, or use "
    "**Residual Connections** like in ResNet. **Exploding gradients** happen when the signal becomes too large, "
    "causing the model to diverge. The most direct solution for this is **Gradient Clipping**, which ensures the "
    "updates don't exceed a certain threshold. **Batch Norm** and proper **weight initialization** (like He "
    'initialization) are also essential tools to keep the training stable."'
)


def _quiz_topics(link_query) -> set[str]:
    return {t for k, v in link_query if k == "topic" for t in v.split(",")}


def test_every_learn_page_has_exactly_one_content_file():
    """Each Learn url_path maps to explainer/learn/content/<name>.md, and no content file is orphaned."""
    assert sorted(content_name(p) for p in LEARN) == cl.all_names()


@pytest.mark.parametrize("path", LEARN)
def test_page_structure(path):
    """Each page has a title, at least one `##` section, and unique heading anchors."""
    doc = DOCS[path]
    assert doc.title
    headings = doc.of(cl.Heading)
    assert doc.toc, f"{path} has no ## sections"
    assert len({h.anchor for h in headings}) == len(headings)


@pytest.mark.parametrize("path", LEARN)
def test_figures_exist(path):
    """Every `::figure NAME` names a figure in explainer.learn.figures.FIGURES."""
    for fig in DOCS[path].of(cl.Figure):
        assert fig.name in FIGURES, f"{path}: unknown figure {fig.name}"


def test_every_figure_is_used():
    """No figure in the registry is dead code: each appears on at least one page."""
    used = {f.name for doc in DOCS.values() for f in doc.of(cl.Figure)}
    assert used == set(FIGURES)


def _check_target(path: str, url_path: str, query: list[tuple[str, str]]) -> None:
    assert url_path in BY_PATH, f"{path}: link to unknown page {url_path!r}"
    if url_path == "quiz":
        unknown = _quiz_topics(query) - set(TOPIC_BY_SLUG)
        assert not unknown, f"{path}: quiz link with unknown topics {unknown}"
    elif url_path in LAB_PATHS:
        notices = check_query({k: [v] for k, v in query}, LABS[url_path].specs)
        assert not notices, f"{path}: {url_path} would refuse {[(n.key, n.raw, n.reason) for n in notices]}"
    else:
        assert not query, f"{path}: unexpected query on {url_path}"


@pytest.mark.parametrize("path", LEARN)
def test_page_link_directives_resolve(path):
    """`::link` targets exist; quiz topics are real slugs; lab query values are accepted by that lab as given."""
    for link in DOCS[path].of(cl.Link):
        _check_target(path, link.url_path, list(link.query))


@pytest.mark.parametrize("path", LEARN)
def test_markdown_links_resolve(path):
    """Every inline markdown link to an internal page targets an existing url_path (anchors must exist too)."""
    doc = DOCS[path]
    anchors = {h.anchor for h in doc.of(cl.Heading)}
    for label, target in doc.markdown_links:
        if target.startswith("#"):
            assert target[1:] in anchors, f"{path}: [{label}] points to a missing anchor"
            continue
        assert "://" not in target, f"{path}: external link {target} (cite papers in text instead)"
        link = cl.parse_link(target)
        _check_target(path, link.url_path, list(link.query))


@pytest.mark.parametrize("path", LEARN)
def test_page_links_to_its_lab_and_its_practice(path):
    """Each page links (as a page_link) to the lab of each topic it teaches and to the quiz on those topics."""
    links = DOCS[path].of(cl.Link)
    targets = {link.url_path for link in links}
    quiz_topics = set().union(*(_quiz_topics(link.query) for link in links if link.url_path == "quiz"))
    taught = [t for t in TOPICS if t.learn == path]
    assert targets & LAB_PATHS, f"{path} links to no experiment"
    assert "quiz" in targets or "mock-interview" in targets, f"{path} links to no practice"
    for topic in taught:
        assert topic.slug in quiz_topics, f"{path} lacks a quiz link for topic {topic.slug}"
        if topic.lab:
            assert topic.lab in targets, f"{path} lacks a link to {topic.lab}"


@pytest.mark.parametrize("path", [p for p in LEARN if p.startswith("remedy-")])
def test_remedy_pages_share_one_skeleton(path):
    """Remedy pages: intuition → math → experiment → when to use → pitfalls → snippet → papers, in that order.

    Extra sections are allowed between them (e.g. "The debate" on batch norm); a skeleton heading may be
    extended ("The math: variance propagation").
    """
    headings = iter(h.text for h in DOCS[path].toc)
    for wanted in REMEDY_SKELETON:
        assert any(h.startswith(wanted) for h in headings), f"{path}: missing or out-of-order section {wanted!r}"
    assert DOCS[path].snippets, f"{path} has no runnable python snippet"


@pytest.mark.parametrize("path", [p for p in LEARN if p.startswith("remedy-") or p in ("vanishing", "exploding")])
def test_theory_pages_cite_papers_with_venue_and_year(path):
    """Each theory page's references carry a year (19xx/20xx) and a venue or report type."""
    text = "\n".join(b.text for b in DOCS[path].of(cl.Markdown))
    assert re.search(r"(ICML|ICLR|NeurIPS|CVPR|ICCV|ECCV|EMNLP|AISTATS|IEEE|Neural Computation|thesis|arXiv)", text)
    assert re.search(r"\b(19|20)\d\d\b", text)


def test_interview_page_quotes_the_seed_answer_verbatim():
    """The source's spoken answer appears word for word (quote marks and bold included) on the interview page."""
    quote = [b.text for b in DOCS["interview"].of(cl.Markdown) if b.text.lstrip().startswith('> "Vanishing')]
    assert quote, "no blockquote starting with the seed answer"
    lines = [ln[1:].strip() for ln in quote[0].splitlines() if ln.startswith(">")]
    body = " ".join(ln for ln in lines if ln and not ln.startswith("—"))
    assert body == SEED_SPOKEN_ANSWER


def test_home_and_interview_share_the_30_second_answer():
    """The 30-second answer is the same text on Home and on the interview page (one answer, not two)."""
    def answer(doc):
        return [c.text for c in doc.of(cl.Callout) if c.kind == "tip"][0]

    assert answer(DOCS["home"]) == answer(DOCS["interview"])


def test_home_has_the_class_presets_slot_and_entry_points():
    """Home fills the class-presets seam and links to every section: Learn, Experiments, Practice, Instructor."""
    doc = DOCS["home"]
    assert [s.name for s in doc.of(cl.Slot)] == ["class_presets"]
    sections = {BY_PATH[link.url_path].section for link in doc.of(cl.Link)}
    assert sections == {"Learn", "Experiments", "Practice", "Instructor"}


def test_vanishing_page_states_the_corrected_tanh_claim():
    """The tanh correction is explicit: tanh' = 1 − tanh² ≤ 1 with equality only at 0."""
    doc = DOCS["vanishing"]
    text = "\n".join([b.text for b in doc.blocks if isinstance(b, cl.Markdown | cl.Callout)]
                     + [b.body for b in doc.of(cl.Latex)])
    assert r"\tanh'(x) = 1 - \tanh^2(x)" in text
    assert "equality only at $x = 0$" in text
