"""The catalog this worker serves, through the catalog service's read model."""

from __future__ import annotations

from flask import current_app

from app.catalog.data import CatalogData
from app.domain.ladder import Ladder
from app.services.catalog import ReadModel
from app.web.database import get_session


def _read_model() -> ReadModel:
    model: ReadModel = current_app.extensions["catalog"]
    return model


def current_data() -> CatalogData:
    """The served catalog; a 503 until it has been loaded into the database."""
    return _read_model().data(get_session)


def current_ladder() -> Ladder:
    """The psoas ladder as the engine sees it."""
    return _read_model().ladder(get_session)
