"""Practice pages: the practice quiz and the mock interview (bank loading, question widgets, summaries)."""
