"""Operations: liveness, readiness, metrics, the spec and the docs page."""
