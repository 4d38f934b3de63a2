"""The catalog: muscles, exercises, ladders and rules (read-only, cached per worker)."""
