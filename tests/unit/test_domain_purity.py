"""The domain stays plain Python: nothing from the web, storage or schema layers."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "app" / "domain"
FORBIDDEN = (
    "flask",
    "flask_smorest",
    "sqlalchemy",
    "marshmallow",
    "webargs",
    "app.api",
    "app.models",
    "app.db",
    "app.catalog",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_modules_import_no_framework(path):
    for module in imported_modules(path):
        assert not module.startswith(FORBIDDEN), f"{path.name} imports {module}"
