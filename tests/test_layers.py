"""Exports take plain data: no module under exports/ imports the services, the models or
SQLAlchemy, so none can query (SPEC: "exports take plain data and never query")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXPORTS = Path(__file__).resolve().parent.parent / "exports"
FORBIDDEN = ("partenariat.services", "partenariat.models", "sqlalchemy")


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement of ``path`` names, at any depth (top level or
    inside a function), with ``from x import y`` counted as both x and x.y."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden(names: set[str]) -> set[str]:
    return {n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)}


def test_the_check_sees_imports_in_functions_too(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("import io\n\ndef f():\n    from partenariat import models\n    import sqlalchemy.orm\n")
    assert forbidden(imported_modules(module)) == {"partenariat.models", "sqlalchemy.orm"}


@pytest.mark.parametrize("path", sorted(EXPORTS.glob("*.py")), ids=lambda p: p.name)
def test_exports_import_no_service_model_or_database(path):
    assert not forbidden(imported_modules(path))
