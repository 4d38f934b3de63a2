"""The catalog's read-only resources, in the order the spec lists them: the whole catalog,
then its four lists."""

from app.api.catalog.bundle import blp as bundle_blp
from app.api.catalog.exercises import blp as exercises_blp
from app.api.catalog.ladders import blp as ladders_blp
from app.api.catalog.muscles import blp as muscles_blp
from app.api.catalog.rules import blp as rules_blp
from app.api.catalog.view import name_the_version

BLUEPRINTS = (bundle_blp, muscles_blp, exercises_blp, ladders_blp, rules_blp)
for _blueprint in BLUEPRINTS:
    _blueprint.after_request(name_the_version)
