"""Use cases over a database session: keys, athletes, sessions, idempotency."""
