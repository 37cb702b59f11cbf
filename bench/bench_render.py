"""Benchmark of ``render_site`` alone, in one process: CPU milliseconds a page.

Run from the repository root::

    python3 bench/bench_render.py                       # 1,000 and 10,000 claims, 3 runs each
    python3 bench/bench_render.py --sizes 1000 --repeat 5
    python3 bench/bench_render.py --profile             # also bench/out/render-profile-N.txt
    python3 bench/bench_render.py --tree /tmp/before    # time another copy of build_tools

It uses the knowledge bases of ``bench/bench_build.py`` (``bench/out/build-N/kb``, written with
the generator of ``bench/bench_check.py`` if missing), loads and checks each once, then renders
every page ``--repeat`` times in this process with the second process off (so that CPU time is
this process's), and prints each run's CPU time per page: the least, the most and the median.
With ``--profile`` it writes a cProfile of one more render, by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
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

from bench_check import SEED, TODAY, generate  # noqa: E402

from build_tools import parallel  # noqa: E402
from build_tools.history import read_history  # noqa: E402
from build_tools.knowledge_base import KnowledgeBase, load  # noqa: E402
from build_tools.render import render_site  # noqa: E402
from build_tools.render.site import SiteSettings  # noqa: E402


def knowledge_base(out: Path, n: int) -> KnowledgeBase:
    root = (out / f"build-{n}" / "kb").resolve()
    if not root.exists():
        generate(root, n, max(50, n // 2), SEED)
    kb = load(root, today=TODAY)
    if kb.report.sorted() or len(kb.claims) != n:
        raise SystemExit(f"{root}: expected {n} claims and no problems")
    return kb


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--profile", action="store_true")
    p.add_argument("--tree", type=Path, help="the folder holding the build_tools to time")
    args = p.parse_args(argv)

    parallel.can_fork = lambda: False  # one process: its CPU time is the render's
    settings = SiteSettings(site_url="https://example.org/kb/",
                            repo_url="https://github.com/example/kb")
    for n in args.sizes:
        kb = knowledge_base(args.out, n)
        history = read_history(kb.root)
        times = []
        for _ in range(args.repeat):
            gc.collect()
            t0 = time.process_time()
            pages = render_site(kb, settings, history)
            times.append(time.process_time() - t0)
            del pages
        pages = render_site(kb, settings, history)
        ms = sorted(1000 * t / len(pages) for t in times)
        print(f"N={n:,}: {len(pages):,} pages, CPU ms a page: least {ms[0]:.3f}, "
              f"median {statistics.median(ms):.3f}, most {ms[-1]:.3f} "
              f"({args.repeat} runs; history {'on' if history.available else 'off'})")
        if args.profile:
            prof = cProfile.Profile()
            prof.runcall(render_site, kb, settings, history)
            target = args.out / f"render-profile-{n}.txt"
            with target.open("w") as f:
                stats = pstats.Stats(prof, stream=f).strip_dirs()
                stats.sort_stats("tottime").print_stats(40)
                stats.sort_stats("cumulative").print_stats(60)
            print(f"  profile: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
