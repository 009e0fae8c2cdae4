"""The package's layers, read from the source with `ast`: no lower layer imports a higher one.

Ranks (lowest first), as docs/design.md draws them:

0. the kernel, ``nimbus.daemon`` (events, codec, bus, config, handler contract, lifecycle...);
1. ``nimbus.voices`` (TTS engines);
2. ``nimbus.handlers.audio`` (PCM plumbing that listening and speaking share);
3. the capabilities: ``nimbus.handlers.{listening,responding,speaking,interfaces}``, the
   routing handlers, and the documents (``nimbus.watchfolders``). Capabilities meet on the bus,
   never by importing each other, except for the few edges listed in ``SIDEWAYS``;
4. the composition root, ``nimbus.app`` (``compose``: which handlers a config runs;
   ``lifecycle``: the daemon's start, signals and stop);
5. the CLI, ``nimbus.cli`` (and ``python -m nimbus``).

Every import counts: top-level, inside functions (lazy), under ``TYPE_CHECKING``, and
``importlib.import_module("...")`` with a literal name. No module imports itself back through
others (no import cycle), and a module name means one thing wherever it is used
(``SHARED_NAMES`` lists the names that recur by design).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nimbus"

SIDEWAYS: frozenset[tuple[str, str]] = frozenset({
    # Audio files dropped into a watched folder are transcribed with listening's ASR engine.
    ("documents", "nimbus.handlers.listening.asr.engine"),
})
"""(importing component, imported module) pairs allowed between capabilities of one rank."""


def component(module: str) -> tuple[str, int]:
    """The component a module belongs to, and its rank."""
    parts = module.split(".")
    if parts[:2] == ["nimbus", "app"]:
        return "composition", 4
    if module == "nimbus.__main__" or parts[:2] == ["nimbus", "cli"]:
        return "cli", 5
    if parts[:2] == ["nimbus", "daemon"] or module == "nimbus":
        return "kernel", 0
    if parts[:2] == ["nimbus", "voices"]:
        return "voices", 1
    if parts[:2] == ["nimbus", "watchfolders"]:
        return "documents", 3
    if parts[:2] == ["nimbus", "handlers"]:
        if len(parts) == 2:
            return "handlers", 3
        if parts[2] == "audio":
            return "audio", 2
        return parts[2], 3
    raise ValueError(f"{module}: not a nimbus module")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, *, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, module) for every nimbus module that ``source`` imports."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from nimbus.handlers.interfaces.mqtt import topics` imports a submodule: named
            # first, so that a violation names the most precise module.
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"
            yield node.lineno, base
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "import_module" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield node.lineno, node.args[0].value


def known(module: str, root: Path) -> bool:
    relative = Path(*module.split(".")[1:])
    return (root / relative).with_suffix(".py").is_file() or (root / relative).is_dir()


def violations(root: Path) -> list[str]:
    """Every import in the package under ``root`` that breaks the layering, as readable lines."""
    found: list[str] = []
    seen: set[tuple[Path, int, str]] = set()
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        own, rank = component(module)
        for line, target in imported_modules(path.read_text(encoding="utf-8"), module,
                                             is_package=path.name == "__init__.py"):
            if target.split(".")[0] != "nimbus" or not known(target, root):
                continue
            other, other_rank = component(target)
            if (path, line, other) in seen:  # `from a.b import c` names a.b and a.b.c
                continue
            seen.add((path, line, other))
            where = f"{path.relative_to(root.parent)}:{line}: {module} ({own}) imports {target}"
            if other_rank > rank:
                found.append(f"{where} ({other}, a higher layer)")
            elif other_rank == rank and other != own and (own, target) not in SIDEWAYS:
                found.append(f"{where} (another capability: they meet on the bus)")
    return found


def test_no_layer_imports_a_higher_one() -> None:
    assert violations(PACKAGE) == []


SHARED_NAMES: frozenset[str] = frozenset({
    "__init__", "__main__",
    # The naming rule (docs/design.md): a component's bus shell, model wrapper, remote
    # (Wyoming) engine and engine contract have the same name in every folder.
    "handler", "engine", "wyoming_engine", "base",
    # A capability's part of a split-up kernel module (config sections, event classes) or of
    # the CLI is named for the capability.
    "listening", "responding", "speaking", "documents", "interfaces",
})
"""Module names that recur by design, each with one meaning wherever it appears."""


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module's nimbus imports (lazy ones too), without its own parent packages (importing
    ``a.b.c`` imports ``a.b`` first anyway: that is no cycle)."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets = {target for _, target in imported_modules(
            path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py")}
        graph[module] = {t for t in targets if t in paths and t != module
                         and not module.startswith(f"{t}.")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other, directly or round about (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    assert cycles(import_graph(PACKAGE)) == []


def test_a_planted_import_cycle_is_found(tmp_path: Path) -> None:
    root = _plant(tmp_path, "daemon/codec.py", "def f():\n    import nimbus.daemon.testing\n")
    testing = (root / "daemon" / "testing.py").read_text(encoding="utf-8")
    assert "nimbus.daemon.codec" not in testing
    (root / "daemon" / "testing.py").write_text(
        testing + "\nfrom nimbus.daemon import codec\n", encoding="utf-8")
    assert ["nimbus.daemon.codec", "nimbus.daemon.testing"] in cycles(import_graph(root))


def shared_names(root: Path) -> dict[str, list[str]]:
    """Module names used by more than one module, besides ``SHARED_NAMES``."""
    seen: dict[str, list[str]] = {}
    for path in root.rglob("*.py"):
        seen.setdefault(path.stem, []).append(module_name(path, root))
    return {name: sorted(modules) for name, modules in seen.items()
            if len(modules) > 1 and name not in SHARED_NAMES}


def test_one_meaning_per_module_name() -> None:
    assert shared_names(PACKAGE) == {}, "one name, two meanings: rename one of them"


def test_a_planted_second_meaning_is_found(tmp_path: Path) -> None:
    root = _plant(tmp_path, "handlers/speaking/arenas.py", '"""Arenas of a stage."""\n')
    assert shared_names(root) == {
        "arenas": ["nimbus.daemon.arenas", "nimbus.handlers.speaking.arenas"]}


def test_every_module_has_a_layer() -> None:
    modules = [module_name(p, PACKAGE) for p in PACKAGE.rglob("*.py")]
    assert len(modules) > 80
    assert {component(m)[0] for m in modules} >= {
        "kernel", "voices", "audio", "listening", "responding", "speaking", "interfaces",
        "documents", "composition", "cli"}


def _plant(tmp_path: Path, relative: str, source: str) -> Path:
    """A copy of the package with one module's source replaced (or added)."""
    import shutil  # noqa: PLC0415

    root = tmp_path / "nimbus"
    shutil.copytree(PACKAGE, root, ignore=shutil.ignore_patterns("__pycache__", "web"))
    target = root / relative
    target.write_text(target.read_text(encoding="utf-8") + "\n" + source
                      if target.exists() else source, encoding="utf-8")
    return root


@pytest.mark.parametrize(("relative", "source", "expected"), [
    # the kernel reaching up into a capability
    ("daemon/bus.py", "from nimbus.handlers.speaking.sentences import SentenceChunker\n",
     "nimbus.daemon.bus (kernel) imports nimbus.handlers.speaking.sentences"),
    # a lazy import inside a function counts too
    ("daemon/codec.py", "def f():\n    import nimbus.cli.client\n",
     "nimbus.daemon.codec (kernel) imports nimbus.cli.client"),
    # a capability importing another one instead of meeting it on the bus
    ("handlers/interfaces/mqtt/topics.py",
     "from nimbus.handlers.responding.handler import Responder\n",
     "(another capability: they meet on the bus)"),
    # engines below the handlers
    ("voices/base.py", "import importlib\nimportlib.import_module('nimbus.handlers.audio.files')\n",
     "nimbus.voices.base (voices) imports nimbus.handlers.audio.files"),
    # a relative import resolved against its package
    ("handlers/audio/convert.py", "from ..listening import state\n",
     "nimbus.handlers.audio.convert (audio) imports nimbus.handlers.listening.state"),
])
def test_a_planted_upward_import_is_found(tmp_path: Path, relative: str, source: str,
                                          expected: str) -> None:
    found = violations(_plant(tmp_path, relative, source))
    assert len(found) == 1, found
    assert expected in found[0]
