"""The `slug` URL converter: lower-case words joined by hyphens."""

from typing import Any

from werkzeug.routing import BaseConverter

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"


class SlugConverter(BaseConverter):
    regex = SLUG_PATTERN


def slug_parameter_schema(_converter: Any) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^{SLUG_PATTERN}$", "maxLength": 64}
