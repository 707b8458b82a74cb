"""The projector's live histogram: the tally frame -> horizontal Altair bars (pure: no streamlit).

Before "Reveal" every bar has one colour, so the projector gives nothing away; after it the key is blue and
the rest grey (colour-blind safe, and the key is also named in the caption, not by colour alone).
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from explainer.core.palette import BLUE, GREY, SKY_BLUE

FONT = 22  # projector: readable from the back of a lecture hall
BAR_STEP = 56  # pixels per bar


def tally_chart(frame: pd.DataFrame, revealed: bool) -> alt.Chart:
    """One bar per option (count of answers), in the order the options are shown, counts printed at the bars."""
    data = frame.assign(status=frame["correct"].map({True: "correct", False: "other"}) if revealed else "answers")
    domain, colors = (["correct", "other"], [BLUE, GREY]) if revealed else (["answers"], [SKY_BLUE])
    top = max(1, int(frame["count"].max()) if len(frame) else 1)
    base = alt.Chart(data).encode(
        y=alt.Y("option:N", sort=alt.EncodingSortField("position", order="ascending"), title=None,
                axis=alt.Axis(labelLimit=700, labelFontSize=FONT)),
        x=alt.X("count:Q", title="answers", scale=alt.Scale(domain=[0, top * 1.15]),
                axis=alt.Axis(tickMinStep=1, format="d", labelFontSize=FONT - 4, titleFontSize=FONT - 4)),
    )
    bars = base.mark_bar().encode(
        color=alt.Color("status:N", scale=alt.Scale(domain=domain, range=colors), legend=None),
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("count:Q", title="answers")],
    )
    labels = base.mark_text(align="left", dx=8, fontSize=FONT, fontWeight="bold").encode(text="count:Q")
    return (bars + labels).properties(height=alt.Step(BAR_STEP))
