"""Learn pages without streamlit: the markdown content, its parser, and the figures it embeds."""
