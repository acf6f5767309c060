"""certs/ is pure cryptography: a customs system can take it without the web application."""

import ast
from pathlib import Path

CERTS = Path(__file__).resolve().parent.parent / "certs"
FORBIDDEN = {"flask", "sqlmodel", "sqlalchemy", "broker_registry", "werkzeug", "jinja2"}


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_certs_imports_no_web_or_database_code():
    files = list(CERTS.rglob("*.py"))
    assert files, "certs/ has no modules"
    offenders = [f"{path.name}: {module}" for path in files
                 for module in _imported_modules(path)
                 if module.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_certs_imports_alone_in_a_fresh_interpreter():
    import subprocess
    import sys

    code = (
        "import sys, certs, pkgutil, importlib\n"
        "for m in pkgutil.iter_modules(certs.__path__):\n"
        "    importlib.import_module('certs.' + m.name)\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
        "assert not bad, bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
