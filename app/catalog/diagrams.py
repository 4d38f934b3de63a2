"""The exercises' diagrams: one SVG per exercise, drawn by the project, beside the catalog.

Served by the API itself (`/v1/exercises/{slug}/diagram.svg`), never hot-linked: no image
host to die, no third party to see who looks. Each file is self-contained (no scripts, no
external references), which a test checks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DIAGRAMS_DIR = Path(__file__).with_name("diagrams")


@cache
def diagram(slug: str) -> bytes | None:
    """The SVG of the exercise `slug`; None when there is none."""
    path = DIAGRAMS_DIR / f"{slug}.svg"
    return path.read_bytes() if path.is_file() else None
