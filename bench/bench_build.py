"""Benchmark of the site build: the evidence plugin, ``render --out`` and three builders, side by
side with a plain MkDocs build of the same pages, in one run.

Run from the repository root::

    python3 bench/bench_build.py                  # 1,000 and 10,000 claims (about 25 minutes)
    python3 bench/bench_build.py --sizes 1000     # about two minutes

For each size N it generates a synthetic knowledge base with the generator of
``bench/bench_check.py`` (same seed, so the same bytes every run; N claims and N/2 BibTeX
entries, so that every source is used and the checker has nothing to warn about) into
``bench/out/build-N/kb`` and times, as commands (interpreter start-up and imports included):

* **plugin**: ``mkdocs build`` of the repository's mkdocs.yml and docs/ with the ``evidence``
  plugin pointed at the synthetic knowledge base (load, check, render, hand the pages to
  MkDocs, staging folder);
* **render --out**: ``python -m build_tools render --out`` of the same configuration: load,
  check, render, and write the docs tree (from an empty folder);
* **plain**: ``mkdocs build -f mkdocs.rendered.yml`` of that tree: MkDocs + Material alone;
* **ProperDocs** and **Zensical** (``--clean``: no cache from an earlier run) of the same tree
  with the same ``mkdocs.rendered.yml``.

CPU time is user + system of the command and every process it waited for (the plugin's and
render's second process, Zensical's threads); wall time is what a person waits. On a small
shared machine the wall time moves with whatever else runs, the CPU time much less. Each build
starts from an empty output folder, with ``SOURCE_DATE_EPOCH`` fixed; with ``--repeat`` the
commands alternate and the least CPU time of each counts.

The plugin's share is (plugin - plain) / plugin on CPU time, and also, measured inside the
plugin build itself, the CPU time of the plugin's hooks (with their second process) over the
build's; ``render_site`` on its own gives the render time per page. No build here writes the
site's search index (the plugin's ``search_index`` is off, so the plugin and plain builds make
the same files): the search, its index and what indexing costs are ``bench_search.py``'s.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from bench_check import SEED, TODAY, generate, machine  # noqa: E402

from build_tools.knowledge_base import load  # noqa: E402

SOURCE_DATE_EPOCH = "1700000000"
RENDERED_CONFIG = "mkdocs.rendered.yml"


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    """User + system CPU time of the command and of every process it waited for."""
    hooks: float = 0.0
    """CPU time inside the evidence plugin's hooks (and their second process)."""
    inner: float = 0.0
    """CPU time of the whole build in the same process (after start-up and imports)."""
    load: float = 0.0
    """Of ``hooks``: loading and checking the knowledge base."""
    render: float = 0.0
    """Of ``hooks``: :func:`render_site`, CPU."""
    render_wall: float = 0.0
    """Of ``hooks``: :func:`render_site`, wall."""
    gc: float = 0.0
    """CPU time of the cyclic garbage collector in the build process, hooks or not: what
    keeping the knowledge base's objects alive costs MkDocs' own work."""


@dataclass
class Result:
    n: int
    pages: int
    plugin: Timing
    plain: Timing
    render_out: Timing
    properdocs: Timing
    zensical: Timing
    same_files: bool = True

    @property
    def share(self) -> float:
        """The plugin's share of the build, on CPU time."""
        return (self.plugin.cpu - self.plain.cpu) / self.plugin.cpu

    @property
    def hooks_share(self) -> float:
        """The plugin hooks' share of the CPU time of the same build process."""
        return self.plugin.hooks / self.plugin.inner

    @property
    def render_ms(self) -> float:
        return 1000 * self.plugin.render / self.pages

    @property
    def render_wall_ms(self) -> float:
        return 1000 * self.plugin.render_wall / self.pages


class _EnvLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it with no variable set: ``!ENV [NAME, default]`` is the
    default."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: (
    loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None))


def _base_config(kb_root: Path) -> dict:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    config.pop("site_dir", None)
    options = next(p["evidence"] for p in config["plugins"]
                   if isinstance(p, dict) and "evidence" in p)
    config["plugins"] = [{"search": {"enabled": False}},
                         {"evidence": {**options, "root": str(kb_root), "search_index": False}}]
    return config


def write_projects(work: Path, kb_root: Path) -> tuple[Path, Path]:
    """The plugin project (mkdocs.yml, docs/) and the plain one (the same, and the repository's
    mkdocs.rendered.yml beside it), both pointing at ``kb_root``."""
    projects = work / "plugin", work / "plain"
    for d in projects:
        if d.exists():
            shutil.rmtree(d)
        shutil.copytree(REPO / "docs", d / "docs")
        (d / "mkdocs.yml").write_text(yaml.safe_dump(_base_config(kb_root), sort_keys=False),
                                      encoding="utf-8")
    shutil.copy2(REPO / RENDERED_CONFIG, projects[1] / RENDERED_CONFIG)
    return projects


WRAPPER = r"""
import functools, json, os, resource, sys, time

spent = {}

def cpu():
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + c.ru_utime + c.ru_stime

def timed(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        t0, w0 = cpu(), time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + cpu() - t0
            spent[name + ":wall"] = spent.get(name + ":wall", 0.0) + time.perf_counter() - w0
    return run

_gc_start = [0.0]

def _gc(phase, info):  # the cyclic garbage collector's own time, in whatever build
    if phase == "start":
        _gc_start[0] = time.process_time()
    else:
        spent["gc"] = spent.get("gc", 0.0) + time.process_time() - _gc_start[0]

import gc
gc.callbacks.append(_gc)

if os.environ.get("BENCH_WITH_PLUGIN") == "1":  # a plain build must not even import it
    from build_tools import plugin
    for name, fn in list(vars(plugin.EvidencePlugin).items()):
        if name.startswith("on_") and callable(fn):
            setattr(plugin.EvidencePlugin, name, timed(name, fn))
    plugin.render_site = timed("render_site", plugin.render_site)
    plugin.Loader.load = timed("load", plugin.Loader.load)

from mkdocs.__main__ import cli

t0 = cpu()
try:
    cli.main(args=sys.argv[1:], prog_name="mkdocs", standalone_mode=False)
finally:
    with open(os.environ["BENCH_HOOKS_OUT"], "w") as f:
        json.dump({"hooks": spent, "total": cpu() - t0}, f)
"""
"""``mkdocs build`` with the plugin's hooks timed: every ``on_*`` method of EvidencePlugin is
wrapped, and the CPU time inside them (with the processes they waited for) is written out with
the CPU time of the whole build; ``load`` and ``render_site``, called from a hook, are timed on
their own too."""


def _env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
                PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU time (with the processes it waited for) of a command that must succeed."""
    gc.collect()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env or _env(), capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{argv} in {cwd} failed ({done.returncode}):\n"
                         f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return elapsed, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def _fresh(*dirs: Path) -> None:
    for d in dirs:
        for x in (d, d.with_name(d.name + ".building"), d.with_name(d.name + ".old"),
                  d.with_name(d.name + ".new")):
            if x.exists():
                shutil.rmtree(x)


def mkdocs(project: Path, config: str, out: Path, with_plugin: bool) -> Timing:
    """``mkdocs build`` (``-f config -d out``) with the plugin's hooks timed inside."""
    _fresh(out)
    env = _env()
    hooks_file = out.with_name(out.name + ".hooks.json")
    env["BENCH_HOOKS_OUT"] = str(hooks_file)
    env["BENCH_WITH_PLUGIN"] = "1" if with_plugin else "0"
    wall, cpu = run([sys.executable, "-c", WRAPPER, "build", "-q", "-f",
                     str(project / config), "-d", str(out)], project, env)
    inside = json.loads(hooks_file.read_text(encoding="utf-8"))
    spent = inside["hooks"]
    hooks = sum(t for name, t in spent.items() if name.startswith("on_")
                and not name.endswith(":wall"))
    return Timing(wall, cpu, hooks, inside["total"], spent.get("load", 0.0),
                  spent.get("render_site", 0.0), spent.get("render_site:wall", 0.0),
                  spent.get("gc", 0.0))


def render_out(project: Path) -> Timing:
    _fresh(project / "rendered" / "docs")
    wall, cpu = run([sys.executable, "-m", "build_tools", "render", "--config",
                     str(project / "mkdocs.yml"), "--out", str(project / "rendered" / "docs")],
                    project)
    return Timing(wall, cpu)


def properdocs(project: Path, out: Path) -> Timing:
    _fresh(out)
    wall, cpu = run([sys.executable, "-m", "properdocs", "build", "-q", "-f",
                     str(project / RENDERED_CONFIG), "-d", str(out)], project)
    return Timing(wall, cpu)


def zensical(project: Path) -> Timing:
    """Zensical writes into the configured site_dir (inside the project) and keeps a cache
    beside it; --clean starts it without one."""
    _fresh(project / "rendered" / "site")
    wall, cpu = run([sys.executable, "-m", "zensical", "build", "--clean", "-f",
                     str(project / RENDERED_CONFIG)], project)
    return Timing(wall, cpu)


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


BUILDS = ("plugin", "render --out", "plain", "properdocs", "zensical")


def measure(n: int, out: Path, repeat: int, regenerate: bool,
            builds: tuple[str, ...] = BUILDS) -> Result:
    work = out / f"build-{n}"
    kb_root = (work / "kb").resolve()
    if regenerate or not kb_root.exists():
        t0 = time.perf_counter()
        generate(kb_root, n, max(50, n // 2), SEED)
        print(f"generated {kb_root} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    kb = load(kb_root, today=TODAY)
    if kb.report.sorted() or len(kb.claims) != n:
        for p in kb.report.sorted()[:20]:
            print(p.format(), file=sys.stderr)
        raise SystemExit(f"{kb_root}: expected {n} claims and no problems")
    del kb
    plugin_dir, plain_dir = write_projects(work, kb_root)
    plugin_site, plain_site = work / "site-plugin", work / "site-plain"
    timings: dict[str, list[Timing]] = {}
    steps: list[tuple[str, Callable[[], Timing]]] = [
        ("plugin", lambda: mkdocs(plugin_dir, "mkdocs.yml", plugin_site, True)),
        ("render --out", lambda: render_out(plain_dir)),
        ("plain", lambda: mkdocs(plain_dir, RENDERED_CONFIG, plain_site, False)),
        ("properdocs", lambda: properdocs(plain_dir, work / "site-properdocs")),
        ("zensical", lambda: zensical(plain_dir)),
    ]
    steps = [(name, step) for name, step in steps if name in builds]
    for i in range(repeat):  # alternate, so that a change in the machine's load hits all alike
        for name, step in steps:
            timing = step()
            timings.setdefault(name, []).append(timing)
            print(f"  N={n} {name} (run {i + 1}): wall {timing.wall:.1f} s, "
                  f"CPU {timing.cpu:.1f} s", file=sys.stderr)
    none = Timing(float("nan"), float("nan"))
    t = {name: min(timings.get(name, [none]), key=lambda r: r.cpu) for name in BUILDS}
    pages = sum(1 for p in (plain_dir / "rendered" / "docs").rglob("*.md")) - \
        sum(1 for p in (REPO / "docs").rglob("*.md"))
    return Result(n=n, pages=pages, plugin=t["plugin"], plain=t["plain"],
                  render_out=t["render --out"], properdocs=t["properdocs"],
                  zensical=t["zensical"], same_files=files(plugin_site) == files(plain_site))


def table(results: list[Result]) -> str:
    rows = ["| N (claims) | pages | plain MkDocs (s) | plugin build (s) | plugin share | "
            "plugin hooks' share | render_site (ms/page, CPU; wall) | render --out (s) | "
            "render --out / plain | ProperDocs (s) | Zensical (s) |",
            "|---:|---:|---|---|---:|---:|---|---|---|---|---|"]
    for r in results:
        rows.append(
            f"| {r.n:,} | {r.pages:,} | {r.plain.cpu:.1f} CPU, {r.plain.wall:.1f} wall | "
            f"{r.plugin.cpu:.1f} CPU, {r.plugin.wall:.1f} wall | {100 * r.share:.1f} % | "
            f"{100 * r.hooks_share:.1f} % | {r.render_ms:.2f}; {r.render_wall_ms:.2f} | "
            f"{r.render_out.cpu:.1f} CPU, {r.render_out.wall:.1f} wall | "
            f"{100 * r.render_out.cpu / r.plain.cpu:.1f} % CPU, "
            f"{100 * r.render_out.wall / r.plain.wall:.1f} % wall | "
            f"{r.properdocs.cpu:.1f} CPU, {r.properdocs.wall:.1f} wall | "
            f"{r.zensical.cpu:.1f} CPU, {r.zensical.wall:.1f} wall |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--repeat", type=int, default=1,
                   help="runs of each command per size; the least CPU time counts")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--builds", nargs="+", choices=BUILDS, default=list(BUILDS),
                   help="which commands to time (default: all)")
    p.add_argument("--regenerate", action="store_true",
                   help="write the knowledge bases again even if bench/out has them")
    args = p.parse_args(argv)

    results = [measure(n, args.out, args.repeat, args.regenerate, tuple(args.builds))
               for n in args.sizes]
    here = machine(("MkDocs", "mkdocs"), ("Material", "mkdocs-material"),
                   ("ProperDocs", "properdocs"), ("Zensical", "zensical"))
    print(f"Machine: {here}\n")
    print(table(results))
    print("\nInside the plugin build (CPU s): " + "; ".join(
        f"N={r.n:,}: hooks {r.plugin.hooks:.1f} of {r.plugin.inner:.1f} (load + check "
        f"{r.plugin.load:.1f}, render_site {r.plugin.render:.1f} CPU, "
        f"{r.plugin.render_wall:.1f} wall; garbage collector {r.plugin.gc:.1f}, plain build's "
        f"{r.plain.gc:.1f})" for r in results))
    last = results[-1]
    print(f"\nTargets at {last.n:,} claims:")
    print(f"- render <= 0.5 ms a page: {'met' if last.render_ms <= 0.5 else 'missed'} on CPU "
          f"time ({last.render_ms:.2f} ms, both processes), "
          f"{'met' if last.render_wall_ms <= 0.5 else 'missed'} on wall time "
          f"({last.render_wall_ms:.2f} ms)")
    print(f"- plugin share <= 10 %: {'met' if last.share <= 0.10 else 'missed'} "
          f"({100 * last.share:.1f} % by plugin - plain; {100 * last.hooks_share:.1f} % of the "
          f"build's CPU time inside the plugin's hooks)")
    w = last.render_out.wall / last.plain.wall
    c = last.render_out.cpu / last.plain.cpu
    print(f"- render --out <= 10 % of the plain build: {'met' if w <= 0.10 else 'missed'} on "
          f"wall time ({100 * w:.1f} %), {'met' if c <= 0.10 else 'missed'} on CPU time "
          f"({100 * c:.1f} %)")
    for r in results:
        if abs(r.share - r.hooks_share) > 0.05:
            print(f"\nNote: at N={r.n:,} the two measures of the plugin's share differ by "
                  f"{100 * abs(r.share - r.hooks_share):.0f} points: the plain build's time "
                  "moved with the machine's load; the hooks' share, measured inside one "
                  "process, is the steadier one (or rerun with --repeat 3).")
    if not all(r.same_files for r in results):
        print("\nNote: the plugin and plain builds made different sets of files.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
