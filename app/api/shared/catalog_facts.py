"""Catalog facts the spec needs at import time, enums and examples, from the catalog
service's one source (this release's data file): the documented examples are real entries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import marshmallow as ma

from app.catalog.data import CatalogData, psoas_ladder
from app.domain.ladder import Ladder, takes_band
from app.services.catalog import bundled


def catalog_data() -> CatalogData:
    return bundled()


def muscle_slugs() -> list[str]:
    return sorted(m.slug for m in catalog_data().muscles)


def ladder_exercises(*, banded: bool | None = None) -> list[str]:
    """The ladder's exercise slugs by level; only the banded or unbanded ones if asked."""
    slugs = psoas_ladder(catalog_data()).exercises
    return [
        slug
        for level, slug in enumerate(slugs, start=1)
        if banded is None or takes_band(level) == banded
    ]


def worked_examples(
    requests: dict[str, dict[str, Any]],
    request_schema: ma.Schema,
    response_schema: ma.Schema,
    answer: Callable[[dict[str, Any], Ladder], Any],
) -> dict[str, Any]:
    """Response examples computed by the operation itself from its request examples."""
    ladder = psoas_ladder(catalog_data())
    return {
        name: {
            "summary": example["summary"],
            "value": response_schema.dump(answer(request_schema.load(example["value"]), ladder)),
        }
        for name, example in requests.items()
    }


def complementary_exercises() -> list[str]:
    """The complementary lifts' slugs (not on the ladder), in catalog order."""
    return [e.slug for e in catalog_data().exercises if e.role == "complementary"]
