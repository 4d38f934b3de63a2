"""Routines: blocks of work for a context."""
