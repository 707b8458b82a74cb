"""The export panel shows the page's experiment as code in an expander and offers the notebook for download."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def panel_app():
    from explainer.views.lab.export_panel import export_panel

    export_panel("mlp", [("sigmoid", {"depth": 12, "activation": "sigmoid"}), ("ReLU", {"depth": 12,
                                                                                         "activation": "relu"})],
                 "Activations")


def test_panel_shows_the_script_and_a_notebook_download():
    """"Copy as code" holds the generated script for these variants; the download button names the notebook."""
    at = AppTest.from_function(panel_app, default_timeout=60).run()
    assert not at.exception
    [expander] = at.expander
    assert expander.label == "Copy as code"
    [code] = at.code
    assert code.language == "python" and "class MLP(nn.Module)" in code.value and "depth=12," in code.value
    [button] = at.get("download_button")
    assert button.proto.label == "Download notebook"


def test_file_stem_is_a_safe_name():
    """Page titles become plain file names."""
    from explainer.views.lab.export_panel import file_stem

    assert file_stem("BatchNorm & residual") == "gradient_lab_batchnorm_residual"
    assert file_stem("???") == "gradient_lab_experiment"


def test_the_notebook_is_built_when_downloaded_and_holds_the_pages_settings():
    """The page draw does not build the notebook (the button holds a callable); calling it gives a valid notebook
    of the same variants."""
    import json

    import nbformat

    from explainer.views.lab.export_panel import _notebook

    variants = [("sigmoid", {"depth": 12, "activation": "sigmoid"})]
    nb = nbformat.reads(_notebook("mlp", json.dumps(variants, sort_keys=True), "Activations"), as_version=4)
    nbformat.validate(nb)
    assert any("depth=12" in cell.source for cell in nb.cells if cell.cell_type == "code")
