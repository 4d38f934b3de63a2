"""Progressions: what an athlete does next after a set."""
