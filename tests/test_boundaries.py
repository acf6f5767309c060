"""The layers of the code, held by its imports.

certs/ is pure cryptography: a customs system can take it without the web application.

broker_registry/ is built in layers, from the bottom: a module imports its own layer and the
layers below it, never a higher one, not at the top of the file and not inside a function; and
no two of its files import each other, however roundabout. Every import counts: `import x`,
`from x import y`, relative or absolute, at the top or lazy.
"""

import ast
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CERTS = ROOT / "certs"
APP = ROOT / "broker_registry"
FORBIDDEN = {"flask", "sqlmodel", "sqlalchemy", "broker_registry", "werkzeug", "jinja2"}

# The domains, lowest first: a domain's models and services may use those before it, never
# those after it. Above every domain stands SANCTIONS, which runs what a sanction reaches
# across them; each domain's views, API and commands stand above that (VIEWS).
DOMAINS = ["audit", "notifications", "accounts", "screening", "brokers", "keys", "revocations",
           "licences", "certificates", "customs", "federation", "reports"]

# The layers, lowest first, as patterns of module names under broker_registry ("" is the
# package itself, create_app). A domain module is placed by `layer_of`, below.
FOUNDATION = ["settings", "errors", "validation", "permissions", "states", "reference",
              "reference.*", "db", "db.*", "i18n", "i18n.*"]
SANCTIONS = ["sanctions", "sanctions.*"]
WEB = ["web", "web.*", "cli"]  # what views and commands share
VIEWS = ["web.health", "web.pages", "web.specification", "web.languages", "web.themes", "openapi",
         "openapi.*",
         "history", "history.*",  # the audit log as read: it names every domain's subjects
         # modules of a domain that read a request or a page's form, like its views
         "certificates.downloads", "licences.forms",
         "customs.lane"]  # the customs page's own JSON calls
VIEW_MODULES = {"views", "api", "cli"}  # in every domain
APPLICATION = ["", "commands", "main", "worker", "demo", "demo.*", "metadata"]

LAYER_NAMES = ["foundation", *(f"domain {d}" for d in DOMAINS), "sanctions", "web", "views",
               "application"]


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


# --- the application's layers ----------------------------------------------------------


def _modules() -> dict[str, Path]:
    """Every module of broker_registry by its dotted name (a package by its __init__)."""
    found = {}
    for path in sorted(APP.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]):
    """(line, module) for each module of the application that `path` imports, at the top or
    inside a function; `from package import name` counts as importing the submodule `name`
    when there is one, else the package."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `import a.b.c` where c is a name
                target = target.rpartition(".")[0]
            if target and target != name:
                yield node.lineno, target


def layer_of(module: str) -> int:
    short = module.removeprefix("broker_registry").removeprefix(".")

    def matches(patterns):
        return any(fnmatch(short, pattern) for pattern in patterns)

    top = short.split(".")[0]
    if matches(APPLICATION):
        return LAYER_NAMES.index("application")
    if matches(VIEWS) or (top in DOMAINS and short.split(".")[-1] in VIEW_MODULES
                          and short.count(".") == 1):
        return LAYER_NAMES.index("views")
    if matches(WEB):
        return LAYER_NAMES.index("web")
    if matches(SANCTIONS):
        return LAYER_NAMES.index("sanctions")
    if top in DOMAINS:
        return LAYER_NAMES.index(f"domain {top}")
    if matches(FOUNDATION):
        return LAYER_NAMES.index("foundation")
    raise AssertionError(f"{module} is in no layer: add it to one in tests/test_boundaries.py")


def _edges():
    """Every import between the application's modules: (file, line, importer, imported)."""
    modules = _modules()
    for name, path in modules.items():
        for line, target in _imports(name, path, modules):
            yield str(path.relative_to(ROOT)), line, name, target


def test_every_module_has_a_layer():
    assert {name: layer_of(name) for name in _modules()}  # raises for one in none


def test_no_module_imports_a_higher_layer():
    upward = {}
    for file, line, importer, imported in _edges():
        if layer_of(imported) > layer_of(importer):
            upward[(file, imported)] = (f"{file}:{line} ({LAYER_NAMES[layer_of(importer)]}) "
                                        f"imports {imported} "
                                        f"({LAYER_NAMES[layer_of(imported)]})")
    assert sorted(upward.values()) == [], "a lower layer imports a higher one"


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def test_no_files_import_each_other_in_a_circle():
    graph: dict[str, set[str]] = {}
    for _file, _line, importer, imported in _edges():
        graph.setdefault(importer, set()).add(imported)
    circles = [sorted(group) for group in _strongly_connected(graph) if len(group) > 1]
    assert circles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: each group of modules that reach one another."""
    index, low, on_stack, stack, groups, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def test_the_layering_test_sees_a_lazy_upward_import_and_a_circle(tmp_path, monkeypatch):
    """The checks above are only as good as the graph they read: a lazy import inside a
    function, relative or absolute, is an edge, and a circle of three files is found."""
    package = tmp_path / "broker_registry"
    (package / "brokers").mkdir(parents=True)
    (package / "licences").mkdir()
    for init in (package, package / "brokers", package / "licences"):
        (init / "__init__.py").write_text("")
    (package / "brokers" / "service.py").write_text(
        "def sanction():\n    from ..licences import cascade  # lazily, upward\n")
    (package / "licences" / "cascade.py").write_text("from . import workflow\n")
    (package / "licences" / "workflow.py").write_text("import broker_registry.licences.service\n")
    (package / "licences" / "service.py").write_text(
        "def submit():\n    from .cascade import x\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "APP", package)
    graph: dict[str, set[str]] = {}
    for _file, _line, importer, imported in _edges():
        graph.setdefault(importer, set()).add(imported)
    brokers, cascade = "broker_registry.brokers.service", "broker_registry.licences.cascade"
    assert cascade in graph[brokers] and layer_of(cascade) > layer_of(brokers)
    assert sorted(map(sorted, (g for g in _strongly_connected(graph) if len(g) > 1))) == [
        ["broker_registry.licences.cascade", "broker_registry.licences.service",
         "broker_registry.licences.workflow"]]
    assert layer_of("broker_registry.web.auth") > layer_of("broker_registry.sanctions.service") \
        > layer_of("broker_registry.reports.service")
    assert layer_of("broker_registry.brokers.views") > layer_of("broker_registry.web.auth")
    assert layer_of("broker_registry.states") < layer_of("broker_registry.audit.service")
