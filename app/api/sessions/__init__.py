"""The deprecated one-set `sessions` routes, kept for existing clients (see workouts)."""
