"""Facts from the catalog data file that the spec needs at import time: examples and enums.

Taken from the data file, so the documented examples are always real entries.
"""

from __future__ import annotations

from functools import cache

from app.catalog.data import CatalogData, read_data_file


@cache
def catalog_data() -> CatalogData:
    return read_data_file()


def muscle_slugs() -> list[str]:
    return sorted(m.slug for m in catalog_data().muscles)


def band_tensions() -> list[str]:
    rule = next(r for r in catalog_data().rules if r.slug == "band-tension")
    return list(rule.values or [])
