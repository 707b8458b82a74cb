"""The Activations lab's curve chart has a data table: one row per z, f(z) and f'(z) for each activation drawn."""

from explainer.views.lab.activations import curves_table


def test_curves_table_has_a_row_per_z_and_both_curves_per_activation():
    """Columns z, then f(z) and f'(z) per activation; at z = 0 sigmoid' = 0.25 and tanh' = 1, as the caption says."""
    table = curves_table(("sigmoid", "tanh"))
    assert list(table.columns) == ["z", "sigmoid f(z)", "sigmoid f'(z)", "tanh f(z)", "tanh f'(z)"]
    assert len(table) == table["z"].nunique() and table["z"].is_monotonic_increasing
    at_zero = table.loc[table["z"] == 0].iloc[0]
    assert at_zero["sigmoid f'(z)"] == 0.25 and at_zero["tanh f'(z)"] == 1.0
