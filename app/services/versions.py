"""Optimistic concurrency: a write names the versions of a row it may change."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.errors import Stale, VersionRequired


@dataclass(frozen=True)
class Expected:
    """The versions a write may change: one of `versions`, or any when `versions` is None."""

    versions: frozenset[int] | None = None

    def admits(self, version: int) -> bool:
        return self.versions is None or version in self.versions


ANY_VERSION = Expected()


def check_version(expected: Expected | None, version: int, subject: str, *, required: bool) -> None:
    """Refuse the write unless `expected` admits `version`; no expectation is refused only
    when one is `required`."""
    if expected is None:
        if required:
            raise VersionRequired(subject)
        return
    if not expected.admits(version):
        raise Stale(subject)
