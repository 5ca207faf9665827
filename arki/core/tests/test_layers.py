"""Dependencies between the apps point one way (docs/architecture.md, "Layers"), and imports
sit at the top of their module.

Every ``import`` in the project's modules (at the top, inside functions, or for type checking
only) is read with ``ast``. An app's *domain* modules (models, selectors, services, access,
rules, registries…) may import only apps in lower layers; its *web* modules (views, urls,
forms, panels, template tags, admin, apps, middleware, context processors) sit on top of
every domain and may import any app's domain modules, and the web modules of apps in lower
layers (their panel registries). So there is no import cycle between two apps' domains, and
``core`` at the bottom knows no other app.

An import inside a function is not a way around a cycle: the project's own modules are
imported at the top, except in ``AppConfig.ready()`` and in the benchmark's tools, which
choose the settings before ``django.setup()``.
Any other import inside a function (a heavy library only some processes need) says why in a
comment on the line above.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ARKI = Path(__file__).resolve().parents[2]

# Lowest first. Apps in one layer do not import each other's domain modules.
LAYERS: list[set[str]] = [
    {"core"},
    {"organisations", "notifications"},
    {"audit"},
    {"accounts"},
    {"people", "training", "feedback"},
    {"methods"},  # the catalogue: plans and meetings name its methods
    {"discussions", "directory", "observations"},
    {"meetings"},
    {"calendars", "portal"},
    {"indicators", "operations"},
    {"demo", "bench", "browser_tests"},  # tools and whole-app tests: may use everything
]
LAYER_OF = {app: n for n, apps in enumerate(LAYERS) for app in apps}
WEB = {
    "views",
    "urls",
    "forms",
    "panels",
    "templatetags",
    "admin",
    "apps",
    "middleware",
    "context_processors",
}


def _modules() -> list[tuple[str, bool, Path]]:
    """(app, is a web module, path) of every module in the apps, tests and migrations left
    out."""
    found = []
    for path in sorted(ARKI.glob("*/**/*.py")):
        parts = path.relative_to(ARKI).parts
        if "tests" in parts or "migrations" in parts:
            continue
        module = parts[1].removesuffix(".py")
        found.append((parts[0], module in WEB, path))
    return found


def _imports(path: Path) -> list[tuple[str, bool]]:
    """The ``arki.<app>`` modules ``path`` imports, each with whether it is a web module."""
    result = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            targets = [names[0]] if len(names[0].split(".")) > 2 else names[1:]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        for target in targets:
            parts = target.split(".")
            if parts[0] == "arki" and len(parts) > 1 and parts[1] in LAYER_OF:
                sub = parts[2] if len(parts) > 2 else ""
                result.append((parts[1], sub in WEB))
    return result


def forbidden_imports() -> list[str]:
    problems = []
    for app, is_web, path in _modules():
        if app not in LAYER_OF:
            continue
        for other, other_is_web in _imports(path):
            if other == app:
                continue
            where = f"{path.relative_to(ARKI.parent)} imports arki.{other}"
            if is_web:
                if other_is_web and LAYER_OF[other] >= LAYER_OF[app]:
                    problems.append(f"{where} (a web module of a layer not below)")
            elif other_is_web or LAYER_OF[other] >= LAYER_OF[app]:
                problems.append(f"{where} (a domain module may import only lower layers)")
    return problems


def test_every_app_is_in_a_layer():
    apps = {p.name for p in ARKI.iterdir() if (p / "__init__.py").exists()}
    assert apps - {"locale", "static", "templates"} <= set(LAYER_OF)


def test_imports_point_down_the_layers():
    assert forbidden_imports() == []


@pytest.mark.parametrize(
    ("app", "module", "source"),
    [
        ("core", "models", "from arki.accounts.models import User"),
        ("audit", "services", "from arki.people import selectors"),
        ("people", "models", "import arki.meetings.models"),
        ("accounts", "services", "def f():\n    from arki.people.models import Child"),
        ("meetings", "views", "from arki.portal.panels import meeting_preparation"),
    ],
)
def test_an_import_against_the_layers_is_found(tmp_path, monkeypatch, app, module, source):
    target = tmp_path / "arki" / app / f"{module}.py"
    target.parent.mkdir(parents=True)
    target.write_text(source + "\n")
    monkeypatch.setattr(f"{__name__}.ARKI", tmp_path / "arki")
    assert len(forbidden_imports()) == 1


def _function_imports(path: Path) -> list[tuple[str, ast.Import | ast.ImportFrom]]:
    """(the enclosing function's name, the import) for every import inside a function."""
    found: dict[int, tuple[str, ast.Import | ast.ImportFrom]] = {}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.setdefault(id(inner), (node.name, inner))
    return list(found.values())


def _is_arki(node: ast.stmt) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "arki"
    assert isinstance(node, ast.Import)
    return any(alias.name.split(".")[0] == "arki" for alias in node.names)


def misplaced_imports() -> list[str]:
    """Imports inside functions: of the project's own modules (except in ``AppConfig.ready()``
    and the benchmark tools), and of anything else without a comment on the line above."""
    problems = []
    for app, _is_web, path in _modules():
        if app == "bench":
            continue  # its entry points choose the settings and data set before django.setup()
        relative = path.relative_to(ARKI.parent).as_posix()
        lines = path.read_text().splitlines()
        for function, node in _function_imports(path):
            if path.name == "apps.py" and function == "ready":
                # AppConfig.ready(): models, and the modules that use them, load once the app
                # registry is ready; apps register their actions, labels and panels there.
                continue
            where = f"{relative}:{node.lineno}"
            if _is_arki(node):
                problems.append(f"{where} imports the project inside a function (move it up)")
            elif not lines[node.lineno - 2].strip().startswith("#"):
                problems.append(f"{where} imports inside a function without a comment saying why")
    return problems


def test_imports_are_at_the_top_of_the_module():
    assert misplaced_imports() == []


@pytest.mark.parametrize(
    ("module", "source", "found"),
    [
        ("services", "def f():\n    from arki.audit import services\n", 1),
        ("selectors", "def f():\n    from . import services\n", 1),
        ("pdf", "def f():\n    from weasyprint import HTML\n", 1),
        ("pdf", "def f():\n    # Heavy: only PDFs need it.\n    from weasyprint import HTML\n", 0),
        ("apps", "class C:\n    def ready(self):\n        from .models import Role\n", 0),
        ("apps", "class C:\n    def other(self):\n        from .models import Role\n", 1),
        ("services", "from arki.audit import services\n", 0),
    ],
)
def test_an_import_inside_a_function_is_found(tmp_path, monkeypatch, module, source, found):
    target = tmp_path / "arki" / "people" / f"{module}.py"
    target.parent.mkdir(parents=True)
    target.write_text(source)
    monkeypatch.setattr(f"{__name__}.ARKI", tmp_path / "arki")
    assert len(misplaced_imports()) == found
