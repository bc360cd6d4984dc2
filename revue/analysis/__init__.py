"""Pure analyses of articles: themes, summaries, excerpts."""
