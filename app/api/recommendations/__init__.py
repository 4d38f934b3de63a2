"""What an athlete's workouts add up to: progress, the recommendation, a routine."""
