"""Benchmark of ``render_site`` alone: CPU milliseconds a page, as a build renders.

Run from the repository root::

    python3 bench/bench_render.py                       # 1,000 and 10,000 claims, 3 runs each
    python3 bench/bench_render.py --sizes 1000 --repeat 5
    python3 bench/bench_render.py --fork                # the second process where it would fork
    python3 bench/bench_render.py --profile             # also bench/out/render-profile-N.txt
    python3 bench/bench_render.py --tree /tmp/before    # time another copy of build_tools

It uses the knowledge bases of ``bench/bench_build.py`` (``bench/out/build-N/kb``, written with
the generator of ``bench/bench_check.py`` if missing). Each run is a new process that loads and
checks the knowledge base, then times one ``render_site`` of it: every cache starts cold, as in
a build (a second render in the same process would be faster, and would not be what a build
pays). By default the second process is off, so that the CPU time is one process's work;
``--fork`` lets ``render_site`` fork where it would, and counts the child's CPU time too. It
prints the CPU time per page of the runs: the least, the median and the most. With
``--profile`` it writes a cProfile of one more run, by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _tree(argv: list[str]) -> Path:
    """The folder that holds the build_tools to time (``--tree``), before anything imports it."""
    if "--tree" in argv:
        return Path(argv[argv.index("--tree") + 1]).resolve()
    return HERE.parent


sys.path.insert(0, str(_tree(sys.argv)))
sys.path.insert(1, str(HERE))

from build_tools.core import parallel  # noqa: E402
from build_tools.knowledge_base import load  # noqa: E402
from build_tools.model.knowledge_base import KnowledgeBase  # noqa: E402
from build_tools.render.history import read_history  # noqa: E402
from build_tools.render.site import SiteSettings, render_site  # noqa: E402

SETTINGS = SiteSettings(site_url="https://example.org/kb/", repo_url="https://github.com/example/kb")


def knowledge_base(out: Path, n: int) -> KnowledgeBase:
    # imported here: bench_check puts this repository first on sys.path, and --tree's
    # build_tools must be the one imported
    from bench_check import SEED, TODAY, generate

    root = (out / f"build-{n}" / "kb").resolve()
    if not root.exists():
        generate(root, n, max(50, n // 2), SEED)
    kb = load(root, today=TODAY)
    if kb.report.sorted() or len(kb.claims) != n:
        raise SystemExit(f"{root}: expected {n} claims and no problems")
    return kb


def render_once(n: int, out: Path, fork: bool, profile: Path | None) -> dict[str, float]:
    """Load the knowledge base of ``n`` claims, then render it once, as a build does (every
    cache cold), and return the CPU time (with the second process's, when there is one)."""
    if not fork:
        parallel.can_fork = lambda: False
    kb = knowledge_base(out, n)
    history = read_history(kb.root)
    gc.collect()
    t0, w0 = _cpu(), time.perf_counter()
    if profile:
        prof = cProfile.Profile()
        pages = prof.runcall(render_site, kb, SETTINGS, history)
        with profile.open("w") as f:
            stats = pstats.Stats(prof, stream=f).strip_dirs()
            stats.sort_stats("tottime").print_stats(40)
            stats.sort_stats("cumulative").print_stats(60)
    else:
        pages = render_site(kb, SETTINGS, history)
    cpu, wall = _cpu() - t0, time.perf_counter() - w0
    import build_tools
    tree = Path(build_tools.__file__).resolve().parent.parent
    if tree != _tree(sys.argv):
        raise SystemExit(f"timed the build_tools in {tree}, not in {_tree(sys.argv)}")
    return {"cpu": cpu, "wall": wall, "pages": len(pages), "history": history.available}


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _child(n: int, out: Path, fork: bool, profile: Path | None = None) -> dict[str, float]:
    argv = [sys.executable, __file__, "--child", str(n), "--out", str(out)]
    argv += ["--tree", str(_tree(sys.argv))] + (["--fork"] if fork else [])
    argv += ["--profile-to", str(profile)] if profile else []
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--fork", action="store_true",
                   help="let render_site fork its second process where it would")
    p.add_argument("--profile", action="store_true")
    p.add_argument("--tree", type=Path, help="the folder holding the build_tools to time")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(render_once(args.child, args.out, args.fork, args.profile_to)))
        return 0

    for n in args.sizes:
        knowledge_base(args.out, n)  # written once, before any timing
        runs = [_child(n, args.out, args.fork) for _ in range(args.repeat)]
        pages = runs[0]["pages"]
        ms = sorted(1000 * r["cpu"] / pages for r in runs)
        wall = sorted(1000 * r["wall"] / pages for r in runs)
        print(f"N={n:,}: {pages:,} pages, CPU ms a page: least {ms[0]:.3f}, "
              f"median {statistics.median(ms):.3f}, most {ms[-1]:.3f}; wall least "
              f"{wall[0]:.3f} ({args.repeat} runs, "
              f"{'second process allowed' if args.fork else 'one process'}; history "
              f"{'on' if runs[0]['history'] else 'off'})")
        if args.profile:
            target = (args.out / f"render-profile-{n}.txt").resolve()
            _child(n, args.out, args.fork, target)
            print(f"  profile: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
