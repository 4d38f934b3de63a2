"""Exercises: the five ladder levels and the two complementary lifts."""
