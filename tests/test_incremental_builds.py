"""Incremental builds give what a clean build gives, byte for byte, after any sequence of edits.

Hypothesis makes random sequences of edits to a copy of the golden knowledge base (a verdict or
statement changed, a source added, cited, retitled or retracted, a claim renamed, copied or
deleted, a capture deleted or restored, a passage's set-aside entry dropped, a template changed,
the site's settings or the day changed, a correction added to the history) and after every edit
builds three ways, each compared with a clean build (no cache, every file read, every page
rendered):

* **a new process each time** (``check``, ``render --out`` run again): a new loader and cache
  object over the cache on disk, ``render_outputs`` given the keys of the last build, the
  outputs it does not render taken from the last build's;
* **one process** (``mkdocs serve``): the same loader, its cache in memory, across every edit;
* **the command** ``render --out`` into the same folder, against ``render --out --no-cache``
  into a new one.

The problems the loads report are compared too. An input that some output reads and does not
declare (:mod:`build_tools.render.outputs`) shows here as a difference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_render_golden import HISTORY, KB_ROOT, TODAY
from test_render_golden import SETTINGS as GOLDEN_SETTINGS

from build_tools.commands import render as render_command
from build_tools.core.cache import Cache
from build_tools.knowledge_base import Loader, load
from build_tools.render import site as site_module
from build_tools.render import templating
from build_tools.render.fragments import TABLE as FRAGMENTS
from build_tools.render.history import Change, History
from build_tools.render.site import SiteSettings, render_outputs, render_site

SETTINGS = dataclasses.replace(GOLDEN_SETTINGS, page_size=2)
"""Two items a page: the fixture's lists are cut into pages, and an edit moves claims across
them (a page of its own is one more output whose inputs must be right)."""

SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
"""Each example builds whole sites; the monkeypatch fixture is set again in each one."""

DEEP = settings.default.max_examples > 100
"""Under the nightly profile (HYPOTHESIS_PROFILE=nightly, tests/conftest.py) every property here
tries many more sequences of edits."""

TEMPLATES = Path(templating.__file__).resolve().parent.parent / "templates"

TEMPLATE_EDITS = [
    ("claim.md.j2", "## Why this verdict", "## Why we gave this verdict"),
    ("_macros.j2", "No verdict", "No verdict yet"),
    ("claims_index.md.j2", "<strong>Bottom line:</strong>", "<strong>In short:</strong>"),
    ("article.md.j2", "Its claims in reading order", "Its claims, in reading order"),
    ("source.md.j2", "## Claims it is evidence for", "## Claims it bears on"),
]
"""Edits a template may get (each toggles): the page's own template, the macros every page
uses, and templates whose rows are kept as pieces between builds."""

VERDICTS = ["accurate", "mostly-accurate", "overstated", "unproven", "inaccurate"]

BOTTOM_LINES = [
    "Walking probably helps.",
    "Placebo-controlled randomised trials show a modest effect on lumbar pain.",
    "Notwithstanding considerable methodological heterogeneity, contemporary epidemiological "
    "investigations consistently demonstrate substantial associations between habitual "
    "ambulation and diminished musculoskeletal symptomatology.",
]
"""Bottom lines an edit may give a claim: plain, with jargon, and far above the reading-level
ceiling (``check``'s readability warnings differ for each)."""

PICO_EDITS = [
    ("outcome", "[pain]"), ("outcome", "[recurrence, pain]"), ("outcome", "[spinal-load]"),
    ("intervention", "[walking-programme]"), ("intervention", "[back-products]"),
    ("intervention", "[made-up-term]"), ("population", "[acute-low-back-pain]"),
]
"""PICO fields an edit may set: terms that move a claim on the evidence map, in the search's
filters, and into or out of a pair of claims on the same evidence and outcome; one term outside
the vocabulary."""

ARTICLE_EDITS = [("stepshop-blog", "date", "2019-03-04"), ("dailyhealth-walking", "date", None),
                 ("dailyhealth-walking", "publisher", "Renamed Health"),
                 ("stepshop-blog", "publisher", None)]
"""An article's date or publisher set, changed or removed: the "said in" line of every claim
it made changes (who said it first, and its name), on every page that shows the claim."""

edits = st.one_of(
    st.tuples(st.just("verdict"), st.integers(0, 20), st.sampled_from(VERDICTS)),
    st.tuples(st.just("statement"), st.integers(0, 20),
              st.text("abcdefgh <>&*", min_size=1, max_size=12)),
    st.tuples(st.just("bottom line"), st.integers(0, 20), st.sampled_from(BOTTOM_LINES)),
    st.tuples(st.just("pico"), st.integers(0, 20), st.sampled_from(PICO_EDITS)),
    st.tuples(st.just("level"), st.integers(0, 20),
              st.sampled_from(["high", "moderate", "low", "very-low"])),
    st.tuples(st.just("article"), st.sampled_from(ARTICLE_EDITS)),
    st.tuples(st.just("add source"), st.integers(0, 20), st.booleans()),
    st.tuples(st.just("retitle source"), st.integers(0, 20), st.text("xyz ", min_size=1,
                                                                     max_size=8)),
    st.tuples(st.just("retract"), st.integers(0, 20)),
    st.tuples(st.just("rename claim"), st.integers(0, 20)),
    st.tuples(st.just("copy claim"), st.integers(0, 20)),
    st.tuples(st.just("delete claim"), st.integers(0, 20)),
    st.tuples(st.just("delete capture"), st.integers(0, 20)),
    st.tuples(st.just("restore capture"), st.integers(0, 20)),
    st.tuples(st.just("drop set-aside"), st.integers(0, 20)),
    st.tuples(st.just("template"), st.integers(0, len(TEMPLATE_EDITS) - 1)),
    st.tuples(st.just("settings"), st.sampled_from(["site_url", "repo_url", "months",
                                                          "page_size"])),
    st.tuples(st.just("day"), st.integers(-400, 400)),
    st.tuples(st.just("correction"), st.integers(0, 20)),
)


@dataclasses.dataclass
class World:
    """The knowledge base being edited, and what the builds see besides its files."""

    root: Path
    templates: Path
    settings: SiteSettings
    history: History
    env: jinja2.Environment

    def claims(self) -> list[Path]:
        return sorted((self.root / "claims").glob("*.yml"))

    def pick(self, files: list[Path], n: int) -> Path | None:
        return files[n % len(files)] if files else None


def _environment(templates: Path) -> jinja2.Environment:
    """The renderer's environment, reading the templates from ``templates``."""
    env = templating.environment.__wrapped__()  # type: ignore[attr-defined]
    env.loader = jinja2.FileSystemLoader(str(templates))
    env.cache.clear()
    env.globals["m"] = env.get_template("_macros.j2").module
    return env


def apply(world: World, edit: tuple[Any, ...]) -> None:
    kind, *args = edit
    root = world.root
    claims = world.claims()
    if kind == "verdict" and claims:
        path = world.pick(claims, args[0])
        assert path is not None
        text = path.read_text(encoding="utf-8")
        lines = [f"verdict: {args[1]}" if ln.startswith("verdict:") else ln
                 for ln in text.splitlines()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "statement" and claims:
        path = world.pick(claims, args[0])
        assert path is not None
        text = path.read_text(encoding="utf-8")
        lines = [f"statement: {args[1]!r} claims walking helps." if ln.startswith("statement:")
                 else ln for ln in text.splitlines()]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind in ("bottom line", "pico", "level") and claims:
        path = world.pick(claims, args[0])
        assert path is not None
        if kind == "bottom line":
            _set_line(path, "bottom_line:", f"bottom_line: {args[1]!r}")
        elif kind == "pico":
            name, terms = args[1]
            _set_line(path, f"{name}:", f"{name}: {terms}", after="topics:")
        else:
            _set_line(path, "  level:", f"  level: {args[1]}")
    elif kind == "article":
        key, name, value = args[0]
        bib = root / "sources" / "articles.bib"
        text = bib.read_text(encoding="utf-8")
        start = text.index(f"{{{key},")
        end = text.index("\n}", start)
        lines = [ln for ln in text[start:end].split("\n") if not ln.strip().startswith(name)]
        if value is not None:
            lines.insert(1, f"  {name} = {{{value}}},")
        bib.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
    elif kind == "add source":
        key = f"added{args[0]}study"
        bib = root / "sources" / "evidence.bib"
        text = bib.read_text(encoding="utf-8")
        if f"{{{key}," not in text:
            bib.write_text(text + f"\n@article{{{key},\n  title = {{An added study {args[0]}}},\n"
                           f"  author = {{Doe, J}},\n  year = {{2020}},\n  design = {{rct}}\n}}\n",
                           encoding="utf-8")
        if args[1] and claims:  # cite it as evidence
            path = world.pick(claims, args[0])
            assert path is not None
            text = path.read_text(encoding="utf-8")
            if key not in text and "evidence:\n" in text:
                path.write_text(text.replace(
                    "evidence:\n", f"evidence:\n  - source: {key}\n    stance: inconclusive\n"
                                   "    finding: It settles nothing.\n", 1), encoding="utf-8")
    elif kind == "retitle source":
        bib = root / "sources" / "evidence.bib"
        lines = bib.read_text(encoding="utf-8").splitlines()
        titles = [i for i, ln in enumerate(lines) if ln.strip().startswith("title")]
        if titles:
            i = titles[args[0] % len(titles)]
            lines[i] = f"  title = {{A retitled study {args[1]}}},"
            bib.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "retract":
        bib = root / "sources" / "evidence.bib"
        text = bib.read_text(encoding="utf-8")
        entries = [i for i in range(len(text)) if text.startswith("@article{", i)]
        if entries:
            at = text.index("\n", entries[args[0] % len(entries)]) + 1
            line = "  retracted = {10.1000/retraction.1, 2024-01-02},\n"
            if text[at:].startswith(line):
                text = text[:at] + text[at + len(line):]
            else:
                text = text[:at] + line + text[at:]
            bib.write_text(text, encoding="utf-8")
    elif kind == "rename claim" and claims:
        path = world.pick(claims, args[0])
        assert path is not None
        target = path.with_name(f"renamed-{path.stem}"[:60].rstrip("-") + ".yml")
        if not target.exists():
            path.rename(target)
    elif kind == "copy claim" and claims:
        path = world.pick(claims, args[0])
        assert path is not None
        target = path.with_name(f"copy-{args[0]}-{path.stem}"[:60].rstrip("-") + ".yml")
        shutil.copy(path, target)
    elif kind == "delete claim" and len(claims) > 1:
        path = world.pick(claims, args[0])
        assert path is not None
        path.unlink()
    elif kind in ("delete capture", "restore capture", "drop set-aside"):
        names = sorted(p.name for p in (KB_ROOT / "sources" / "captures").glob("*.txt"))
        name = names[args[0] % len(names)]
        here = root / "sources" / "captures" / name
        if kind == "delete capture" and here.exists():
            here.unlink()
        elif kind == "restore capture":
            shutil.copy(KB_ROOT / "sources" / "captures" / name, here)
        elif kind == "drop set-aside":
            aside = here.with_suffix(".yml")
            if aside.exists():
                lines = aside.read_text(encoding="utf-8").splitlines()
                starts = [i for i, ln in enumerate(lines) if ln.startswith("  - quote:")]
                if starts:
                    i = starts[args[0] % len(starts)]
                    end = next((j for j in starts if j > i), len(lines))
                    aside.write_text("\n".join(lines[:i] + lines[end:]) + "\n",
                                     encoding="utf-8")
    elif kind == "template":
        name, old, new = TEMPLATE_EDITS[args[0]]
        path = world.templates / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new) if old in text else text.replace(new, old),
                        encoding="utf-8")
        world.env = _environment(world.templates)
    elif kind == "settings":
        s = world.settings
        changes: dict[str, Any] = {
            "site_url": {"site_url": None if s.site_url else "https://example.org/evidence/"},
            "repo_url": {"repo_url": None if s.repo_url else "https://github.com/example/e"},
            "months": {"review_months": 6 if s.review_months != 6 else 18},
            "page_size": {"page_size": 1 if s.page_size != 1 else 2}}[args[0]]
        world.settings = dataclasses.replace(s, **changes)
    elif kind == "day":
        world.settings = dataclasses.replace(world.settings,
                                             as_of=TODAY + dt.timedelta(days=args[0]))
    elif kind == "correction" and claims:
        path = world.pick(claims, args[0])
        assert path is not None
        h = world.history
        when = dt.datetime(2024, 12, 3, 12, tzinfo=dt.timezone.utc) + dt.timedelta(
            hours=len(h.changes))
        change = Change(path.stem, "verdict", "unproven", "overstated", when,
                        f"{path.stem}: a second look", f"{len(h.changes):040x}")
        world.history = dataclasses.replace(h, changes=[change, *h.changes],
                                            head_when=when)


def _set_line(path: Path, start: str, line: str, after: str | None = None) -> None:
    """Replace the line of ``path`` that starts with ``start``; with none, put ``line`` after
    the one that starts with ``after`` (or leave the file as it is)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    at = [i for i, ln in enumerate(lines) if ln.startswith(start)]
    if at:
        lines[at[0]] = line
    elif after is not None:
        anchor = [i for i, ln in enumerate(lines) if ln.startswith(after)]
        if not anchor:
            return
        lines.insert(anchor[0] + 1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report(kb: Any) -> list[str]:
    return [p.format() for p in kb.report.sorted()]


@contextmanager
def _world() -> Iterator[World]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "kb"
        shutil.copytree(KB_ROOT, root)
        templates = Path(tmp) / "templates"
        shutil.copytree(TEMPLATES, templates)
        history = dataclasses.replace(HISTORY, changes=list(HISTORY.changes))
        yield World(root, templates, SETTINGS, history, _environment(templates))


@pytest.mark.slow
@settings(max_examples=500 if DEEP else 15, deadline=None, suppress_health_check=SLOW)
@given(steps=st.lists(edits, min_size=1, max_size=6))
def test_every_incremental_build_is_a_clean_build(steps: list[tuple[Any, ...]],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with _world() as world:
        monkeypatch.setattr(site_module, "environment", lambda: world.env)
        served = Loader(world.root, today=TODAY)  # one process: its cache in memory
        served_outputs: dict[str, str] = {}
        served_keys: dict[str, bytes] = {}
        disk_outputs: dict[str, str] = {}
        disk_keys: dict[str, bytes] = {}
        for step, edit in enumerate([None, *steps]):
            if edit is not None:
                apply(world, edit)
            clean_kb = load(world.root, today=TODAY)
            clean = render_site(clean_kb, world.settings, world.history)

            # a new process (check, render --out): a new loader and cache over the cache on
            # disk; check's readability warnings too
            cache = Cache.at(world.root)
            kb = Loader(world.root, today=TODAY, cache=cache, readability=True).load()
            assert report(kb) == report(load(world.root, today=TODAY, readability=True)), \
                (step, edit)
            done = render_outputs(kb, world.settings, world.history, disk_keys,
                                  cache.table(FRAGMENTS))
            cache.save()
            disk_outputs = {p: done.texts[p] if p in done.texts else disk_outputs[p]
                            for p in done.keys}
            disk_keys = done.keys
            _same(disk_outputs, clean, step, edit)

            # one process: the same loader, its cache in memory
            kb = served.load()
            assert report(kb) == report(clean_kb), (step, edit)
            done = render_outputs(kb, world.settings, world.history, served_keys,
                                  served.cache.table(FRAGMENTS))
            served.cache.save()
            served_outputs = {p: done.texts[p] if p in done.texts else served_outputs[p]
                              for p in done.keys}
            served_keys = done.keys
            _same(served_outputs, clean, step, edit)


def _same(got: dict[str, str], clean: dict[str, str], step: int, edit: Any) -> None:
    assert sorted(got) == sorted(clean), (step, edit)
    differ = [p for p in clean if got[p] != clean[p]]
    assert not differ, (step, edit, differ[:5])


MKDOCS_YML = """\
site_name: Incremental
docs_dir: docs
plugins:
  - evidence:
      root: kb
      review_months: 1200
      page_size: 2
"""


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}

def _project(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project around the knowledge base ``root`` (mkdocs.yml and one hand-written page),
    made the working directory; the render command reads its settings from there."""
    project = root.parent
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "about.md").write_text("# About\n", encoding="utf-8")
    monkeypatch.chdir(project)



@pytest.mark.slow
@settings(max_examples=200 if DEEP else 8, deadline=None, suppress_health_check=SLOW)
@given(steps=st.lists(edits.filter(lambda e: e[0] not in ("template", "settings", "day",
                                                           "correction")),
                      min_size=1, max_size=4))
def test_render_out_again_is_render_out_from_nothing(steps: list[tuple[Any, ...]],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The command: ``render --out`` into the folder it wrote before, with the cache, holds
    exactly what ``render --out --no-cache`` writes into a new folder."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")  # the day the pages are "as of"
    with _world() as world:
        _project(world.root, monkeypatch)
        for step, edit in enumerate([None, *steps]):
            if edit is not None:
                apply(world, edit)
            with redirect_stderr(io.StringIO()):
                code = render_command.run(Path("out"), Path("mkdocs.yml"), stdout=io.StringIO())
                shutil.rmtree("fresh", ignore_errors=True)
                fresh = render_command.run(Path("fresh"), Path("mkdocs.yml"),
                                           stdout=io.StringIO(), no_cache=True)
            assert code == fresh, (step, edit)
            if fresh == 0:
                assert _tree(Path("out")) == _tree(Path("fresh")), (step, edit)


SITE_YML = """\
site_name: Incremental
docs_dir: docs
theme:
  name: material
plugins:
  - search:
      enabled: false
  - evidence:
      root: kb
      review_months: 1200
      page_size: 2
      cache: {cache}
nav:
  - Home: index.md
  - Claims: claims/index.md
  - About: about.md
not_in_nav: |
  /claims/*.md
  /sources/*/index.md
  /articles/*/index.md
validation:
  nav:
    omitted_files: ignore
"""


def _mkdocs_build(config_file: Path, site: Path, command: str, dirty: bool) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site))
    config.plugins.on_startup(command=command, dirty=dirty)
    serve_url = "http://127.0.0.1:8000/" if command == "serve" else None
    if serve_url:
        config.site_url = serve_url
    with redirect_stderr(io.StringIO()):
        build(config, serve_url=serve_url, dirty=dirty)


@pytest.mark.slow
@settings(max_examples=50 if DEEP else 2, deadline=None,
          suppress_health_check=SLOW)
@given(steps=st.lists(edits.filter(lambda e: e[0] not in ("template", "settings", "day",
                                                           "correction")),
                      min_size=2, max_size=3))
def test_dirty_mkdocs_builds_are_clean_builds(steps: list[tuple[Any, ...]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """``mkdocs build --dirty`` into the site of the last build, and a build under ``mkdocs
    serve --dirty`` into its folder, leave what a clean ``mkdocs build`` leaves in a new one,
    the search index (Pagefind's, made by the plugin after the build) and the sitemap included,
    after every edit (a hand-written page edited too)."""
    from build_tools import plugin

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    with _world() as world:
        project = world.root.parent
        for name, cache in (("mkdocs.yml", "true"), ("clean.yml", "false")):
            (project / name).write_text(SITE_YML.format(cache=cache), encoding="utf-8")
        (project / "docs").mkdir()
        (project / "docs" / "about.md").write_text(
            "# About\n\nSee the [claims](claims/index.md).\n", encoding="utf-8")
        monkeypatch.chdir(project)
        built = served = False
        for step, edit in enumerate([None, *steps, ("about",)]):
            if edit == ("about",):
                with (project / "docs" / "about.md").open("a", encoding="utf-8") as f:
                    f.write("\nMore about this site.\n")
            elif edit is not None:
                apply(world, edit)
            if load(world.root, today=TODAY).report.errors:
                continue  # the build refuses it, dirty or not
            for command, folder, dirty in (("build", "site", built), ("serve", "served", served)):
                plugin._LOADERS.clear()  # the clean build starts from nothing
                shutil.rmtree(project / "clean", ignore_errors=True)
                _mkdocs_build(project / "clean.yml", project / "clean", command, False)
                _mkdocs_build(project / "mkdocs.yml", project / folder, command, dirty)
                clean, got = _tree(project / "clean"), _tree(project / folder)
                assert "pagefind/pagefind-entry.json" in clean, sorted(clean)[:5]
                differ = sorted(set(got) ^ set(clean)) + [k for k in clean
                                                          if k in got and got[k] != clean[k]]
                assert not differ, (command, step, edit, differ[:5])
            built = served = True


def test_render_out_again_writes_only_what_changed(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing changed: nothing written (every file keeps its inode and time). A verdict
    changed: that claim's page and the pages that list it. A file changed or added in the
    folder by something else: put back, or removed, as a write from nothing would."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735732800")
    with _world() as world:
        _project(world.root, monkeypatch)

        def run(*args: str) -> str:
            err = io.StringIO()
            with redirect_stderr(err):
                assert render_command.run(Path("out"), Path("mkdocs.yml"),
                                          stdout=io.StringIO()) == 0, args
            return err.getvalue()

        def state() -> dict[str, tuple[int, int]]:
            return {p.relative_to("out").as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
                    for p in Path("out").rglob("*") if p.is_file()}

        assert "0 unchanged" in run()
        before = state()
        assert "(0 rendered, 0 written," in run()
        assert state() == before
        claim = "claims/walking-backwards-strengthens-deep-spine-muscles"
        apply(world, ("verdict", 3, "overstated"))  # it was unproven
        assert world.claims()[3].stem == claim.split("/")[1]
        said = run()
        after = state()
        rewritten = sorted(p for p in after if after[p] != before[p])
        # two claims a page: it is the third by id, so on the claims index's second page,
        # and the first is left alone
        assert f"{claim}.md" in rewritten and "claims/pages/2/index.md" in rewritten \
            and "claims/index.md" not in rewritten, rewritten
        # its page, and exactly the pages and files that show its verdict: the page of each
        # list it is on (its article's scorecard, whose first page also counts verdicts; its
        # article's source page, whose first page it is not on; the flags it carries, whose
        # first pages the flags page holds), the counts on the home page, the evidence map
        # (the rings on the first page, its pair's row on the second), the exports
        assert rewritten == sorted([
            f"{claim}.md", "claims/pages/2/index.md", "articles/dailyhealth-walking/index.md",
            "articles/dailyhealth-walking/pages/2/index.md",
            "sources/dailyhealth-walking/appearance/pages/2/index.md", "flags/index.md",
            "flags/unsupported/pages/2/index.md", "index.md", "evidence-map/index.md",
            "evidence-map/pages/2/index.md", "data/claims.csv", "data/claims.json"]), rewritten
        assert f"{len(rewritten)} written" in said, said
        Path("out", f"{claim}.md").write_text("changed by hand\n", encoding="utf-8")
        Path("out", "stray.md").write_text("not ours\n", encoding="utf-8")
        run()
        shutil.rmtree("fresh", ignore_errors=True)
        with redirect_stderr(io.StringIO()):
            render_command.run(Path("fresh"), Path("mkdocs.yml"), stdout=io.StringIO(),
                               no_cache=True)
        assert _tree(Path("out")) == _tree(Path("fresh"))
