"""Prescriptions: checking a planned set against the programming rules."""
