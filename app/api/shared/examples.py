"""Ids the spec's examples share, so that one example's athlete is another's."""

ATHLETE_ID = "6f1c2a9e-3b7d-4c55-9a0e-2d8f4b1c7e30"
WORKOUT_ID = "9b2d4f60-7a1e-4c3b-8d5f-1e6a0c2b3d49"
