"""The package's layers (docs/ARCHITECTURE.md): imports run one way, no cycles, no private names.

core <- reference <- scores | facilities | population <- figures | publish <- stages <- ops <- cli.
Topic packages do not import each other; samples and benchmarks (``homecare_dev``) live
outside the runtime package, which never imports them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import homecare

SRC = Path(homecare.__file__).resolve().parent
LAYER = {
    "core": 0,
    "reference": 1,
    "scores": 2,
    "facilities": 2,
    "population": 2,
    "home_medical": 2,
    "figures": 3,
    "publish": 3,
    "stages": 4,
    "ops": 5,
    "cli": 6,
}
TOPICS = {"scores", "facilities", "population", "home_medical"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(SRC.rglob("*.py")):
        rel = p.relative_to(SRC.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _imports(path: Path, module: str) -> list[tuple[str, list[str], int]]:
    """(imported module, names, line) of every import in a file, function-level ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = (
                    module.split(".")[: -node.level]
                    if not path.name == "__init__.py"
                    else module.split(".")[: len(module.split(".")) - node.level + 1]
                )
                base = ".".join(pkg + ([base] if base else []))
            found.append((base, [a.name for a in node.names], node.lineno))
    return found


def _layer(module: str) -> tuple[str, int] | None:
    parts = module.split(".")
    if parts[0] != "homecare" or len(parts) < 2:
        return None
    top = parts[1]
    return top, LAYER[top]


def test_every_module_has_a_layer() -> None:
    unknown = sorted({m.split(".")[1] for m in _modules() if m.count(".") >= 1 and m.split(".")[1] not in LAYER})
    assert not unknown, f"packages without a layer in docs/ARCHITECTURE.md: {unknown}"


def test_imports_run_downwards_only() -> None:
    problems = []
    modules = _modules()
    for module, path in modules.items():
        own = _layer(module)
        if own is None:
            continue
        for target, names, line in _imports(path, module):
            if target.startswith("homecare_dev"):
                problems.append(f"{module}:{line} imports {target} (samples/benchmarks are not runtime code)")
                continue
            # `from homecare.x import y` where y is a module: judge by the module imported
            full = [f"{target}.{n}" for n in names if f"{target}.{n}" in modules] or [target]
            for t in full:
                other = _layer(t)
                if other is None or other[0] == own[0]:
                    continue
                if other[1] > own[1]:
                    problems.append(f"{module}:{line} imports {t} from a higher layer")
                elif own[0] in TOPICS and other[0] in TOPICS:
                    problems.append(f"{module}:{line} imports {t}: topic packages do not import each other")
    assert not problems, "\n".join(problems)


def test_no_private_names_across_modules() -> None:
    problems = []
    modules = _modules()
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("homecare"):
                for a in node.names:
                    if a.name.startswith("_") and a.name != "__version__":
                        problems.append(f"{module}:{node.lineno} imports private {node.module}.{a.name}")
                    if f"{node.module}.{a.name}" in modules:
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                problems.append(f"{module}:{node.lineno} uses private {aliases[node.value.id]}.{node.attr}")
    assert not problems, "\n".join(problems)


def test_no_import_cycles() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for target, names, _ in _imports(path, module):
            for t in [f"{target}.{n}" for n in names if f"{target}.{n}" in modules] or [target]:
                if t in modules and t != module:
                    graph[module].add(t)
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n) :] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    # a package __init__ importing its own submodule is not a cycle worth reporting
    real = [c for c in cycles if not all(x.startswith(c[0]) or c[0].startswith(x) for x in c)]
    assert not real, "import cycles:\n" + "\n".join(" -> ".join(c) for c in real)


def _glossary_terms() -> list[str]:
    """The Japanese terms of docs/glossary.md (second column), split at separators."""
    import re

    terms = []
    for line in (SRC.parents[1] / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 3 and cells[1] and not cells[1].startswith(("日本語", "---")):
            terms += [t for t in re.split(r"[（）()、,／/・…\s]+", cells[1]) if len(t) >= 3]
    return terms


def test_modules_using_glossary_terms_link_the_glossary() -> None:
    terms = _glossary_terms()
    assert len(terms) > 20
    missing = []
    for module, path in _modules().items():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if any(t in doc for t in terms) and "docs/glossary.md" not in doc:
            missing.append(module)
    assert not missing, f"module docstrings that use glossary terms without linking docs/glossary.md: {missing}"
