"""The app's map: every page (section, title, url path, script) and every Learn topic, as plain data.

The router builds `st.Page`s from `PAGES`; tests parametrize over it; the question bank validates its
`learn` links against `LEARN_PATHS`. No streamlit import here, so anything may read it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    section: str  # navigation group: Learn, Experiments, Practice, Instructor
    title: str
    url_path: str  # stable: URLs in question banks, presets and docs depend on it
    icon: str
    default: bool = False  # the default page is served at "/", not at its url_path

    @property
    def script(self) -> str:
        """Page script, relative to streamlit_app.py (what AppTest.switch_page expects)."""
        return f"explainer/pages/{self.url_path.replace('-', '_')}.py"


PAGES: tuple[PageSpec, ...] = (
    PageSpec("Learn", "Home", "home", ":material/home:", default=True),
    PageSpec("Learn", "Overview", "overview", ":material/route:"),
    PageSpec("Learn", "Vanishing gradients", "vanishing", ":material/trending_down:"),
    PageSpec("Learn", "Exploding gradients", "exploding", ":material/trending_up:"),
    PageSpec("Learn", "Remedy: activations", "remedy-activations", ":material/show_chart:"),
    PageSpec("Learn", "Remedy: batch normalization", "remedy-batchnorm", ":material/equalizer:"),
    PageSpec("Learn", "Remedy: residual connections", "remedy-residual", ":material/alt_route:"),
    PageSpec("Learn", "Remedy: initialization", "remedy-init", ":material/tune:"),
    PageSpec("Learn", "Remedy: LSTM/GRU gating", "remedy-gating", ":material/memory:"),
    PageSpec("Learn", "Remedy: gradient clipping", "remedy-clipping", ":material/content_cut:"),
    PageSpec("Learn", "Remedy: weight decay (L2)", "remedy-weight-decay", ":material/fitness_center:"),
    PageSpec("Learn", "Signal propagation and the edge of chaos", "signal-propagation", ":material/waves:"),
    PageSpec("Learn", "Adaptive optimizers and vanishing", "adaptive-optimizers", ":material/speed:"),
    PageSpec("Learn", "Learning-rate warm-up", "warmup", ":material/trending_flat:"),
    PageSpec("Learn", "Transformers: norms and loss spikes", "transformers", ":material/hub:"),
    PageSpec("Learn", "Instrumenting a training run", "instrumenting", ":material/monitoring:"),
    PageSpec("Learn", "Dead units vs vanishing gradients", "dead-vs-vanishing", ":material/compare_arrows:"),
    PageSpec("Learn", "Mixed precision and underflow", "mixed-precision", ":material/decimal_increase:"),
    PageSpec("Learn", "Interview answer", "interview", ":material/record_voice_over:"),
    PageSpec("Learn", "Cheat sheet", "cheatsheet", ":material/table_chart:"),
    PageSpec("Experiments", "Activations", "lab-activations", ":material/science:"),
    PageSpec("Experiments", "Initialization", "lab-init", ":material/science:"),
    PageSpec("Experiments", "BatchNorm & residual", "lab-normalization", ":material/science:"),
    PageSpec("Experiments", "Recurrent nets", "lab-recurrent", ":material/science:"),
    PageSpec("Experiments", "Exploding & clipping", "lab-clipping", ":material/science:"),
    PageSpec("Experiments", "Weight decay", "lab-weight-decay", ":material/science:"),
    PageSpec("Experiments", "Compare remedies", "lab-compare", ":material/science:"),
    PageSpec("Experiments", "Phase diagram", "lab-phase", ":material/science:"),
    PageSpec("Experiments", "Transformer norms & warm-up", "lab-transformer", ":material/science:"),
    PageSpec("Experiments", "Mixed precision", "lab-precision", ":material/science:"),
    PageSpec("Experiments", "Does it hurt learning?", "lab-digits", ":material/science:"),
    PageSpec("Practice", "Practice quiz", "quiz", ":material/quiz:"),
    PageSpec("Practice", "Mock interview", "mock-interview", ":material/timer:"),
    PageSpec("Practice", "Review due", "review", ":material/event_repeat:"),
    PageSpec("Practice", "My progress", "progress", ":material/insights:"),
    PageSpec("Practice", "Live session", "live", ":material/sensors:"),
    PageSpec("Instructor", "Join a class", "join", ":material/group_add:"),
    PageSpec("Instructor", "Class dashboard", "instructor", ":material/admin_panel_settings:"),
    PageSpec("Instructor", "Presenter", "present", ":material/co_present:"),
)

SECTIONS: tuple[str, ...] = ("Learn", "Experiments", "Practice", "Instructor")

BY_PATH: dict[str, PageSpec] = {p.url_path: p for p in PAGES}

LEARN_PATHS: frozenset[str] = frozenset(p.url_path for p in PAGES if p.section == "Learn")
LAB_PATHS: frozenset[str] = frozenset(p.url_path for p in PAGES if p.section == "Experiments")


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    learn: str  # url_path of the Learn page that teaches it
    lab: str | None  # url_path of the experiment that shows it, if any


TOPICS: tuple[Topic, ...] = (
    Topic("overview", "Overview: gradients as products", "overview", "lab-activations"),
    Topic("vanishing", "Vanishing gradients", "vanishing", "lab-activations"),
    Topic("exploding", "Exploding gradients", "exploding", "lab-clipping"),
    Topic("activations", "Non-saturating activations", "remedy-activations", "lab-activations"),
    Topic("batchnorm", "Batch normalization", "remedy-batchnorm", "lab-normalization"),
    Topic("residual", "Residual connections", "remedy-residual", "lab-normalization"),
    Topic("initialization", "Weight initialization", "remedy-init", "lab-init"),
    Topic("rnn", "Recurrent nets and LSTM/GRU gating", "remedy-gating", "lab-recurrent"),
    Topic("clipping", "Gradient clipping", "remedy-clipping", "lab-clipping"),
    Topic("weight_decay", "L2 weight regularization", "remedy-weight-decay", "lab-weight-decay"),
    Topic("signal_propagation", "Signal propagation and the edge of chaos", "signal-propagation", "lab-phase"),
    Topic("adaptive_optimizers", "Adaptive optimizers and vanishing", "adaptive-optimizers", "lab-clipping"),
    Topic("warmup", "Learning-rate warm-up", "warmup", "lab-transformer"),
    Topic("transformers", "Transformers: norms and loss spikes", "transformers", "lab-transformer"),
    Topic("instrumenting", "Instrumenting a training run", "instrumenting", "lab-compare"),
    Topic("dead_vs_vanishing", "Dead units vs vanishing gradients", "dead-vs-vanishing", "lab-activations"),
    Topic("mixed_precision", "Mixed precision and underflow", "mixed-precision", "lab-precision"),
    Topic("diagnosis", "Diagnosing gradient problems", "cheatsheet", "lab-compare"),
    Topic("interview", "The interview answer", "interview", None),
)

TOPIC_BY_SLUG: dict[str, Topic] = {t.slug: t for t in TOPICS}
