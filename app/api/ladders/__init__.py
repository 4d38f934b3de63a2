"""Ladders: ordered progressions of exercises."""
