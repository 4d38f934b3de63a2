"""Rules: the programming rules, machine-readable."""
