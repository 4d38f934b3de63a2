"""An athlete's workouts: the training log the recommendation is judged from."""
