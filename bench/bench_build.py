"""Benchmark of the site build: what the ``evidence`` plugin adds to a plain MkDocs build.

Run from the repository root::

    python3 bench/bench_build.py                  # 1,000 and 10,000 claims; a Markdown table
    python3 bench/bench_build.py --sizes 1000     # a quick run

For each size N it generates a synthetic knowledge base with the generator of
``bench/bench_check.py`` (same seed, so the same bytes every run; N claims and N/2 BibTeX
entries, about the ratio of the real knowledge base, so that every source is used and the
checker has nothing to warn about) into ``bench/out/build-N/kb``, and then times two
``python -m mkdocs build`` commands over the same pages:

* **plugin**: the repository's mkdocs.yml and docs/, with the ``evidence`` plugin pointed at the
  synthetic knowledge base: it loads and checks the knowledge base, renders every page and hands
  them to MkDocs as generated files, and builds into a staging folder;
* **plain**: the pages :func:`render_site` makes for that knowledge base, written beforehand as
  Markdown files into a docs folder (next to the repository's docs/), and a mkdocs.yml without
  the plugin: MkDocs and Material alone.

The plugin's own share is (plugin - plain) / plugin, on the CPU time (user + system) of each
build command: on a small shared machine the wall time moves with whatever else runs, the CPU
time much less. Both builds start from an empty output folder (deleted before the clock
starts), run as separate commands (interpreter start-up and imports included in both) with
``SOURCE_DATE_EPOCH`` fixed; with ``--repeat`` they alternate and the least CPU time of each
counts. As a second measure that does not depend on comparing two runs, the plugin build runs
with every hook of the plugin timed, and the hooks' share of that same process's CPU time is
reported too. The search index is measured on the plugin's build, in bytes per claim, with a
breakdown by kind of page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from bench_check import SEED, TODAY, cpu_name, generate  # noqa: E402

from build_tools.knowledge_base import load  # noqa: E402
from build_tools.render import SiteSettings, render_site  # noqa: E402

SOURCE_DATE_EPOCH = "1700000000"


@dataclass
class Result:
    n: int
    pages: int
    plugin: Timing
    plain: Timing
    index_bytes: int
    index_entries: int
    by_kind: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Kind of page -> (entries, bytes) in search_index.json."""
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
    def wall_share(self) -> float:
        return (self.plugin.wall - self.plain.wall) / self.plugin.wall


def _base_config() -> dict:
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("site_dir", None)
    return config


def write_projects(work: Path, kb_root: Path) -> tuple[Path, Path, int]:
    """The plugin project and the plain project for ``kb_root``; and how many pages the
    plugin renders (so both build the same pages)."""
    settings_config = _base_config()
    plugin_dir, plain_dir = work / "plugin", work / "plain"
    for d in (plugin_dir, plain_dir):
        if d.exists():
            shutil.rmtree(d)
        shutil.copytree(REPO / "docs", d / "docs")

    plugin_config = dict(settings_config, docs_dir="docs",
                         plugins=["search", {"evidence": {"root": str(kb_root)}}])
    (plugin_dir / "mkdocs.yml").write_text(yaml.safe_dump(plugin_config, sort_keys=False),
                                           encoding="utf-8")

    kb = load(kb_root, today=TODAY)
    settings = SiteSettings(site_name=settings_config["site_name"],
                            site_url=settings_config.get("site_url"),
                            repo_url=settings_config.get("repo_url"),
                            directory_urls=settings_config.get("use_directory_urls", True))
    pages = render_site(kb, settings)
    for rel, text in pages.items():
        target = plain_dir / "docs" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    # The plugin marks the claim, source and article pages as not in the navigation; the plain
    # build says the same with MkDocs' own option.
    plain_config = dict(settings_config, docs_dir="docs", plugins=["search"],
                        not_in_nav="/claims/*/\n/claims/*.md\n/sources/*.md\n/articles/*.md\n"
                                   "!/claims/index.md\n!/sources/index.md\n!/articles/index.md\n")
    (plain_dir / "mkdocs.yml").write_text(yaml.safe_dump(plain_config, sort_keys=False),
                                          encoding="utf-8")
    return plugin_dir, plain_dir, sum(1 for p in pages if p.endswith(".md"))


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    """User + system CPU time of the build command: what the build costs, less changed than
    the wall time by other programs running on the machine at the same time."""
    hooks: float = 0.0
    """CPU time spent inside the evidence plugin's own hooks, measured in the build process."""
    inner: float = 0.0
    """CPU time of the whole build in the same process (after start-up and imports)."""
    load: float = 0.0
    """Of ``hooks``: loading and checking the knowledge base."""
    render: float = 0.0
    """Of ``hooks``: :func:`render_site`."""


WRAPPER = r"""
import functools, json, os, sys, time

spent = {}

def timed(name, fn):
    @functools.wraps(fn)
    def run(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - t0
    return run

if os.environ.get("BENCH_WITH_PLUGIN") == "1":  # a plain build must not even import it
    from build_tools import plugin
    for name, fn in list(vars(plugin.EvidencePlugin).items()):
        if name.startswith("on_") and callable(fn):
            setattr(plugin.EvidencePlugin, name, timed(name, fn))
    plugin.render_site = timed("render_site", plugin.render_site)
    plugin.Loader.load = timed("load", plugin.Loader.load)

from mkdocs.__main__ import cli

t0 = time.process_time()
try:
    cli.main(args=sys.argv[1:], prog_name="mkdocs", standalone_mode=False)
finally:
    with open(os.environ["BENCH_HOOKS_OUT"], "w") as f:
        json.dump({"hooks": spent, "total": time.process_time() - t0}, f)
"""
"""``mkdocs build`` with the plugin's hooks timed: every ``on_*`` method of EvidencePlugin is
wrapped, and the CPU time inside them (loading, checking, rendering, adding the files, the
staging folder) is written out with the CPU time of the whole build; ``load`` and
``render_site``, called from a hook, are timed on their own too."""


def build(project: Path, out: Path, with_plugin: bool) -> Timing:
    """Wall and CPU time of ``python -m mkdocs build`` from an empty output folder."""
    for d in (out, out.with_name(out.name + ".building"), out.with_name(out.name + ".old")):
        if d.exists():
            shutil.rmtree(d)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
               PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    hooks_file = out.with_name(out.name + ".hooks.json")
    env["BENCH_HOOKS_OUT"] = str(hooks_file)
    env["BENCH_WITH_PLUGIN"] = "1" if with_plugin else "0"
    gc.collect()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, "build", "-q", "-f",
                           str(project / "mkdocs.yml"), "-d", str(out)], cwd=project, env=env,
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"mkdocs build in {project} failed ({done.returncode}):\n"
                         f"{done.stdout[-3000:]}{done.stderr[-3000:]}")
    inside = json.loads(hooks_file.read_text(encoding="utf-8"))
    spent = inside["hooks"]
    hooks = sum(t for name, t in spent.items() if name.startswith("on_"))
    return Timing(elapsed, cpu, hooks, inside["total"], spent.get("load", 0.0),
                  spent.get("render_site", 0.0))


def alternate(repeat: int, plugin_build: Callable[[], Timing],
              plain_build: Callable[[], Timing]) -> tuple[Timing, Timing]:
    """Plugin and plain builds, alternating so that a change in the machine's load hits both
    alike; for each, the run with the least CPU time."""
    plugin_runs, plain_runs = [], []
    for i in range(repeat):
        plugin_runs.append(plugin_build())
        print(f"  plugin build {i + 1}: {plugin_runs[-1]}", file=sys.stderr)
        plain_runs.append(plain_build())
        print(f"  plain build {i + 1}: {plain_runs[-1]}", file=sys.stderr)
    return min(plugin_runs, key=lambda t: t.cpu), min(plain_runs, key=lambda t: t.cpu)


def _kind(location: str) -> str:
    page = location.split("#", 1)[0]
    top = page.split("/", 1)[0]
    if top in ("claims", "sources", "articles") and page != f"{top}/":
        return {"claims": "claim pages", "sources": "source pages",
                "articles": "article scorecards"}[top]
    return "other pages"


def search_stats(site: Path) -> tuple[int, int, dict[str, tuple[int, int]]]:
    raw = (site / "search" / "search_index.json").read_bytes()
    docs = json.loads(raw)["docs"]
    entries: Counter[str] = Counter()
    size: Counter[str] = Counter()
    for d in docs:
        k = _kind(d["location"])
        entries[k] += 1
        size[k] += len(json.dumps(d, ensure_ascii=False).encode("utf-8"))
    return len(raw), len(docs), {k: (entries[k], size[k]) for k in sorted(entries)}


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def measure(n: int, out: Path, repeat: int, regenerate: bool) -> Result:
    work = out / f"build-{n}"
    kb_root = work / "kb"
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
    plugin_dir, plain_dir, n_pages = write_projects(work, kb_root)
    plugin_site, plain_site = work / "site-plugin", work / "site-plain"
    t_plugin, t_plain = alternate(repeat, lambda: build(plugin_dir, plugin_site, True),
                                  lambda: build(plain_dir, plain_site, False))
    index_bytes, index_entries, by_kind = search_stats(plugin_site)
    same = files(plugin_site) == files(plain_site)
    return Result(n=n, pages=n_pages, plugin=t_plugin, plain=t_plain, index_bytes=index_bytes,
                  index_entries=index_entries, by_kind=by_kind, same_files=same)


def table(results: list[Result]) -> str:
    rows = ["| N (claims) | pages | plugin build (s) | plain build (s) | plugin share | "
            "plugin hooks' share | growth (plugin, plain) | search_index.json bytes per "
            "claim | plugin build, wall (s) | plain build, wall (s) |",
            "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|"]
    prev: Result | None = None
    for r in results:
        growth = "–" if prev is None else (
            f"{r.plugin.cpu / prev.plugin.cpu:.1f}x, {r.plain.cpu / prev.plain.cpu:.1f}x "
            f"(claims {r.n / prev.n:.0f}x, pages {r.pages / prev.pages:.1f}x)")
        rows.append(f"| {r.n:,} | {r.pages:,} | {r.plugin.cpu:.1f} | {r.plain.cpu:.1f} | "
                    f"{100 * r.share:.1f} % | {100 * r.hooks_share:.1f} % | {growth} | "
                    f"{r.index_bytes / r.n:,.0f} | {r.plugin.wall:.1f} | {r.plain.wall:.1f} |")
        prev = r
    return "\n".join(rows)


def index_table(results: list[Result]) -> str:
    kinds = sorted({k for r in results for k in r.by_kind})
    rows = ["| N | search entries | " + " | ".join(f"{k}: entries, bytes" for k in kinds)
            + " |", "|---:|---:|" + "---|" * len(kinds)]
    for r in results:
        cells = []
        for k in kinds:
            e, b = r.by_kind.get(k, (0, 0))
            cells.append(f"{e:,}, {b / 1e6:.2f} MB")
        rows.append(f"| {r.n:,} | {r.index_entries:,} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def machine() -> str:
    cpu = cpu_name()
    import material
    import mkdocs
    return (f"{dt.date.today().isoformat()}, {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"MkDocs {mkdocs.__version__}, Material {getattr(material, '__version__', '?')}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--repeat", type=int, default=1,
                   help="plugin/plain build pairs per size; the least CPU time counts")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--regenerate", action="store_true",
                   help="write the knowledge bases again even if bench/out has them")
    args = p.parse_args(argv)

    results = [measure(n, args.out, args.repeat, args.regenerate) for n in args.sizes]
    print(f"Machine: {machine()}\n")
    print(table(results))
    print("\nInside the plugin build (CPU s): " + "; ".join(
        f"N={r.n:,}: hooks {r.plugin.hooks:.1f} of {r.plugin.inner:.1f} (load + check "
        f"{r.plugin.load:.1f}, render_site {r.plugin.render:.1f})" for r in results))
    print("\nSearch index by kind of page (plugin build):\n")
    print(index_table(results))
    last = results[-1]
    print(f"\nTargets at {last.n:,} claims:")
    print(f"- plugin share <= 10 %: {'met' if last.share <= 0.10 else 'missed'} "
          f"({100 * last.share:.1f} % by plugin - plain; {100 * last.hooks_share:.1f} % of the "
          f"build's CPU time inside the plugin's hooks)")
    if len(results) >= 2:
        first = results[0]
        k = last.n / first.n
        g = last.plugin.cpu / first.plugin.cpu
        print(f"- linear growth: plugin build {g:.1f}x the CPU time for {k:.0f}x claims "
              f"({'linear or better' if g <= 1.2 * k else 'worse than linear'})")
    per_claim = last.index_bytes / last.n
    print(f"- search index <= 1 KB per claim: {'met' if per_claim <= 1024 else 'missed'} "
          f"({per_claim:,.0f} bytes)")
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
