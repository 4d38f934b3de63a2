"""The catalog's four read-only resources, in the order the spec lists them."""

from app.api.catalog.exercises import blp as exercises_blp
from app.api.catalog.ladders import blp as ladders_blp
from app.api.catalog.muscles import blp as muscles_blp
from app.api.catalog.rules import blp as rules_blp

BLUEPRINTS = (muscles_blp, exercises_blp, ladders_blp, rules_blp)
