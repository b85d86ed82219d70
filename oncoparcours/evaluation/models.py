"""Evaluation and steering (issue 6): reads the other apps, writes only its own tables."""
