"""The catalog service: the one source of catalog facts, and the read model served from it.

The data file this release ships (`app/catalog/catalog.toml`) is the source of truth:
`bundled()` reads it once (the spec's enums and examples come from it), `load` writes it
into the database (`flask catalog load`, run by the start script), and `ReadModel` reads
that copy back once per process to serve it. A database holding another file's catalog
(an older or newer release) is served, and said once in the log.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import cache

from sqlalchemy.orm import Session

from app.catalog.data import CatalogData, psoas_ladder, read_data_file
from app.catalog.loader import load_catalog, read_catalog
from app.domain.ladder import Ladder
from app.services.errors import Unavailable

log = logging.getLogger(__name__)


@cache
def bundled() -> CatalogData:
    """The catalog of this release's data file."""
    return read_data_file()


def load(session: Session, data: CatalogData | None = None) -> bool:
    """Make the database hold `data` (this release's catalog by default) and commit;
    False when it already did."""
    changed = load_catalog(session, data or bundled())
    session.commit()  # also ends the transaction that holds the loaders' advisory lock
    return changed


class ReadModel:
    """The catalog as this process serves it: read from the database once, on first use."""

    def __init__(self) -> None:
        self._data: CatalogData | None = None
        self._ladder: Ladder | None = None
        self._lock = threading.Lock()

    def data(self, session: Callable[[], Session]) -> CatalogData:
        if self._data is None:
            with self._lock:
                if self._data is None:
                    self._data = self._read(session())
                    self._ladder = psoas_ladder(self._data)
        return self._data

    def ladder(self, session: Callable[[], Session]) -> Ladder:
        """The psoas ladder as the engine sees it: exercise slugs by level."""
        self.data(session)
        assert self._ladder is not None  # nosec B101 - set with the data
        return self._ladder

    @staticmethod
    def _read(session: Session) -> CatalogData:
        data = read_catalog(session)
        if data is None:
            raise Unavailable(
                "The catalog has not been loaded into the database yet "
                "(the start script runs `flask catalog load`)."
            )
        if data.checksum != bundled().checksum:
            log.warning(
                "the database holds catalog version %s, not this release's %s: serving it",
                data.version,
                bundled().version,
            )
        return data
