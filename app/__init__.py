"""Psoas API. `create_app` (in `app.factory`) builds the WSGI application.

Importing the package imports nothing else: gunicorn's master reads its log format from
`app.logformat`, and must stay free of the libraries the gevent workers patch first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.factory import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from app.factory import create_app

        return create_app
    raise AttributeError(f"module 'app' has no attribute {name!r}")
