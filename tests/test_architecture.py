"""The package's shape, held by tests: imports run one way down a declared order of layers, with
no circle; no module grows past :data:`MAX_LINES`; the stages are numbered as the orchestrator
runs them; and CONTRIBUTING.md's architecture map is generated from :data:`LAYERS`, so it cannot
drift. After moving or resizing modules, rewrite that map with::

    UPDATE_DOCS=1 python -m pytest tests/test_architecture.py
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "build_tools"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
UPDATE = os.environ.get("UPDATE_DOCS", "") not in ("", "0")
UPDATE_COMMAND = "UPDATE_DOCS=1 python -m pytest tests/test_architecture.py"

MAX_LINES = 400
"""No module is longer (issue 16: modules of a few hundred lines, not thousands)."""


@dataclass(frozen=True)
class Layer:
    name: str
    modules: tuple[str, ...]
    """Module or package names under ``build_tools``; a package covers everything in it."""
    holds: str


LAYERS: tuple[Layer, ...] = (
    Layer("core", ("core",),
          "problems and their one-line messages, text normalisation, file reading, the "
          "controlled vocabularies (with their colours and synonyms), the second process, HTTP, "
          "hashes of content and the persistent cache keyed on them"),
    Layer("model", ("model",),
          "the records: claims, sources, captures split into passages, coverage, the knowledge "
          "base and its layout on disk"),
    Layer("rules", ("rules", "identifiers"),
          "the rules, each stated once: the claim-file format (schema, specs, validator), the "
          "passage split, bottom-line wording, hype words, the review policy; and one handler "
          "per identifier type (DOI, PMID, PMCID)"),
    Layer("bibtex", ("bibtex",),
          "BibTeX as libraries write it: files, field tables, values, entries, macros and "
          "crossref across files"),
    Layer("stages", ("stages",),
          "the pipeline, numbered as it runs: find, read, validate, link, flag, cover"),
    Layer("orchestrator", ("knowledge_base", "knowledge_base_keys"),
          "Loader.load: the stages top to bottom, every problem collected; what each result it "
          "keeps is made from"),
    Layer("render", ("render",),
          "pages and data files from the knowledge base (Jinja templates in templates/), for "
          "any builder, each declared with what it is made from (outputs.py) and rendered only "
          "when that changed; the corrections history from git"),
    Layer("config", ("config",), "mkdocs.yml read as MkDocs reads it, without MkDocs"),
    Layer("search", ("search_index",),
          "after any builder: the built site indexed for its search (Pagefind), the index made "
          "deterministic"),
    Layer("intake", ("intake",),
          "the editor's machinery: article capture, BibTeX edits, claim scaffolds, similar "
          "claims, appearances, verification, all-or-nothing writes"),
    Layer("commands", ("commands", "plugin", "site_record"),
          "one verb per module (check, render, add, new, ...), and the MkDocs plugin with the "
          "record of what each build left in a site folder (what a dirty build rebuilds)"),
    Layer("cli", ("cli", "__main__"), "the command line: one table of commands"),
)
"""The layers, lowest first: a module imports only from its own layer or the ones below."""

WHERE_TO_ADD = """\
Where to add, each in at most two or three files:

- **a verdict**: `build_tools/core/vocabulary.py` (its term in `VERDICTS`, its colour in
  `VERDICT_COLOURS`), and in `build_tools/stages/s4_link.py` the evidence it needs, if any;
- **a page type**: a template in `build_tools/templates/`, and its `Output` in
  `Site.outputs` in `build_tools/render/site.py`: its path, what renders it, its template,
  and its inputs (see *What each output is made from* below; the site's navigation, if it
  belongs there: `mkdocs.yml`). A page that lists claims from the whole knowledge base, an
  article or a source is cut into pages: one `Output` per `paging.Page` (see `_flag_pages` or
  `_review_pages`), each page's inputs only the claims it shows;
- **an identifier type** (ISBN, arXiv, ...): a handler class in `build_tools/identifiers/`
  (pattern, normal form, record fetch, BibTeX field), and one entry in `HANDLERS` in
  `build_tools/identifiers/__init__.py`; `add source`, `verify`, the checker and the links
  pick it up from there;
- **a flag**: its rule in words in `FLAGS` in `build_tools/core/vocabulary.py`, and its
  function in `RULES` in `build_tools/stages/s5_flag.py`;
- **a command**: a module in `build_tools/commands/`, and its row in `COMMANDS` in
  `build_tools/cli.py` (and a line in README.md and CONTRIBUTING.md: a test asks for both).
"""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int | None:
    """The index in :data:`LAYERS` of a ``build_tools`` module; None for the package's face."""
    rest = module.removeprefix("build_tools").lstrip(".")
    if not rest:
        return None
    for i, layer in enumerate(LAYERS):
        if any(rest == m or rest.startswith(m + ".") for m in layer.modules):
            return i
    raise AssertionError(f"{module} is in no layer (expected it under one of LAYERS)")


def imports(path: Path) -> list[tuple[int, str]]:
    """Every ``build_tools`` module ``path`` imports, at any depth (inside functions and under
    ``TYPE_CHECKING`` too), with its line."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("build_tools")]
        elif isinstance(node, ast.ImportFrom) and node.module \
                and node.module.startswith("build_tools") and node.level == 0:
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.append((node.lineno, sub if sub in MODULES else node.module))
    return out


GRAPH = {m: [(line, t) for line, t in imports(p) if t != "build_tools"]
         for m, p in MODULES.items()}


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_imports_run_down_the_layers() -> None:
    upward = []
    for module, targets in GRAPH.items():
        mine = layer_of(module)
        for line, target in targets:
            theirs = layer_of(target)
            if mine is not None and theirs is not None and theirs > mine:
                upward.append(f"{MODULES[module].relative_to(ROOT)}:{line}: {module} "
                              f"({LAYERS[mine].name}) imports {target} ({LAYERS[theirs].name})")
    assert not upward, "imports that run up the layers:\n" + "\n".join(upward)


def cycles(graph: dict[str, list[tuple[int, str]]]) -> list[str]:
    """Every import circle of ``graph``, as ``a -> b -> a``."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []
    found: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for _, target in graph.get(module, []):
            if state.get(target) == 1:
                found.append(" -> ".join([*path[path.index(target):], target]))
            elif target in graph and target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return found


def test_no_import_cycle() -> None:
    found = cycles(GRAPH)
    assert not found, "import cycles:\n" + "\n".join(found)


def test_the_layer_check_catches_an_upward_import_and_a_cycle(tmp_path: Path) -> None:
    """The checks above are not vacuous: a module of the core that imported the orchestrator
    would be reported."""
    low, high = layer_of("build_tools.core.problems"), layer_of("build_tools.knowledge_base")
    assert low is not None and high is not None and low < high
    assert cycles({"a": [(1, "b")], "b": [(3, "c")], "c": [(2, "a")], "d": [(1, "a")]}) == \
        ["a -> b -> c -> a"]
    bad = tmp_path / "bad.py"
    bad.write_text("from build_tools.knowledge_base import load\n"
                   "def f():\n    from build_tools.render import urls\n", encoding="utf-8")
    assert imports(bad) == [(1, "build_tools.knowledge_base"), (3, "build_tools.render.urls")]


def test_no_module_is_too_long() -> None:
    long = {m: n for m, p in MODULES.items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them along their concerns): {long}"


STAGE = re.compile(r"^s(\d+)_([a-z]+)$")


def test_stages_are_numbered_as_the_orchestrator_runs_them() -> None:
    stages = sorted((int(m[1]), m[2], name) for name in MODULES
                    if name.startswith("build_tools.stages.")
                    and (m := STAGE.match(name.rsplit(".", 1)[1])))
    assert [n for n, _, _ in stages] == list(range(1, len(stages) + 1))
    for number, word, module in stages:
        doc = ast.get_docstring(ast.parse(MODULES[module].read_text(encoding="utf-8"))) or ""
        assert doc.startswith(f"Stage {number}, {word}:"), (module, doc[:40])
    orchestrator = MODULES["build_tools.knowledge_base"].read_text(encoding="utf-8")
    body = orchestrator[orchestrator.index("def _load("):orchestrator.index("def _read(")]
    said = [int(n) for comment in re.findall(r"#\s*(\d.*)", body)
            for n in re.findall(r"(?:^|; |\()(\d)\. ", comment)]
    assert said == sorted(said) and set(said) == {n for n, _, _ in stages}, said


# --- CONTRIBUTING.md's architecture map ------------------------------------------------------

BEGIN = "<!-- architecture: generated by tests/test_architecture.py; " \
        f"update with {UPDATE_COMMAND} -->"
END = "<!-- end of the generated architecture -->"


def _about(lines: int) -> str:
    return "<50" if lines < 50 else f"~{round(lines / 50) * 50}"


def architecture_map() -> str:
    """The generated part of CONTRIBUTING.md's architecture section."""
    out = [BEGIN, "", "Layers, lowest first; a module imports only from its own layer and the",
           "ones before it in this table (`tests/test_architecture.py` fails on an upward",
           f"import or a circle). Sizes are lines, to the nearest 50; no module is over "
           f"{MAX_LINES}.", "",
           "| layer | folder or module | holds | modules (lines) |", "|---|---|---|---|"]
    for layer in LAYERS:
        for top in layer.modules:
            inside = [(m, p) for m, p in MODULES.items()
                      if m == f"build_tools.{top}" or m.startswith(f"build_tools.{top}.")]
            shown = ", ".join(
                f"`{p.name if p.name != '__init__.py' else '__init__.py'}` "
                f"{_about(len(p.read_text(encoding='utf-8').splitlines()))}"
                for _, p in sorted(inside, key=lambda mp: str(mp[1])))
            where = f"`build_tools/{top}/`" if (PACKAGE / top).is_dir() \
                else f"`build_tools/{top}.py`"
            holds = layer.holds if top == layer.modules[0] else ""
            out.append(f"| {layer.name} | {where} | {holds} | {shown} |")
    out += ["", WHERE_TO_ADD.rstrip(), "", END]
    return "\n".join(out)


def test_contributing_has_the_current_architecture_map() -> None:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "CONTRIBUTING.md lacks the architecture markers"
    start, end = text.index(BEGIN), text.index(END) + len(END)
    current = architecture_map()
    if UPDATE:
        CONTRIBUTING.write_text(text[:start] + current + text[end:], encoding="utf-8")
        return
    if text[start:end] != current:
        pytest.fail(f"CONTRIBUTING.md's architecture map is out of date: run {UPDATE_COMMAND}")


def test_every_file_the_map_names_exists() -> None:
    named = set(re.findall(r"`(build_tools/[\w/.]+)`", WHERE_TO_ADD))
    assert named, WHERE_TO_ADD
    missing = sorted(n for n in named if not (ROOT / n.rstrip("/")).exists())
    assert not missing, missing


# --- the command line: one table, documented ---------------------------------------------------


def test_every_command_is_in_the_readme_and_contributing() -> None:
    """sqlite-utils' docs that cannot drift: a command nobody is told about does not exist."""
    from build_tools.cli import COMMANDS, PROG

    for doc in ("README.md", "CONTRIBUTING.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        missing = [c.name for c in COMMANDS if f"{PROG} {c.name}" not in text]
        assert not missing, f"{doc} never shows: {', '.join(f'{PROG} {m}' for m in missing)}"


def test_every_command_runs_a_function_of_its_module() -> None:
    import inspect

    from build_tools.cli import COMMANDS, _parser

    for command in COMMANDS:
        fn = command.function()
        params = inspect.signature(fn).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        for a in (*command.args, *command.group):
            dest = a.options.get("dest") or a.flags[0].lstrip("-").replace("-", "_")
            assert dest in params or takes_any, (command.name, dest)
    assert _parser().prog == "python -m build_tools"
