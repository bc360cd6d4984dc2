"""Revue: a static-site generator for French-language press reviews."""
