"""Muscles: the iliopsoas group and its antagonist."""
