"""Benchmark of ``find`` (and the similar-claim search of ``new claim``) at 1,000 and 10,000
claims.

Run from the repository root::

    python3 bench/bench_find.py                  # generate, time, print a Markdown table
    python3 bench/bench_find.py --sizes 1000     # a quick run

The knowledge bases are those of ``bench_check.py`` (``bench/out/kb-N``, same seed), reused when
they exist. For each size it times, best of ``--repeat``:

* ``cold``: :func:`read_claims` with no index (``.kb-cache/`` removed first): every claim file
  read and parsed with libyaml, and the index written;
* ``warm``: :func:`read_claims` with a current index (the files stat-ed, the index read);
* ``one changed``: the same after one claim file changed (it alone is parsed again);
* ``rank``: ranking every claim against a three-word query (rapidfuzz);
* ``command``: ``python3 -m build_tools find walking recurrence pain --root kb-N`` with a
  current index, start-up and imports included.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import bench_check  # noqa: E402

from build_tools.intake.similar import CACHE, rank, read_claims  # noqa: E402

QUERY = "walking recurrence pain"


def best_of(repeat: int, fn: Callable[[], object], before: Callable[[], object] | None = None
            ) -> float:
    times = []
    for _ in range(repeat):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(root: Path, repeat: int) -> dict[str, float]:
    cache = root / CACHE
    claims = sorted((root / "claims").glob("*.yml"))

    def drop() -> None:
        shutil.rmtree(cache.parent, ignore_errors=True)

    def touch() -> None:
        st = claims[0].stat()
        os.utime(claims[0], ns=(st.st_atime_ns, st.st_mtime_ns + 1_000))

    out = {"cold": best_of(repeat, lambda: read_claims(root), drop)}
    read_claims(root)
    out["warm"] = best_of(repeat, lambda: read_claims(root))
    out["one changed"] = best_of(repeat, lambda: read_claims(root), touch)
    loaded = read_claims(root)
    out["rank"] = best_of(repeat, lambda: rank(QUERY, loaded))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out["command"] = best_of(repeat, lambda: subprocess.run(
        [sys.executable, "-m", "build_tools", "find", *QUERY.split(), "--root", str(root)],
        capture_output=True, env=env, check=True))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    p.add_argument("--entries", type=int, default=5_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=HERE / "out")
    args = p.parse_args(argv)
    rows = []
    for n in args.sizes:
        root = args.out / f"kb-{n}"
        if not root.exists():
            bench_check.generate(root, n, args.entries, bench_check.SEED)
        rows.append((n, measure(root, args.repeat)))
        print(f"N={n}: {rows[-1][1]}", file=sys.stderr)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Machine: {platform.system()} {platform.machine()}, nproc {os.cpu_count()}, Python "
          f"{platform.python_version()}, load average {load:.1f}\n")
    names = list(rows[0][1])
    print("| claims | " + " | ".join(f"{k} (s)" for k in names) + " |")
    print("|---:|" + "---:|" * len(names))
    for n, r in rows:
        print(f"| {n:,} | " + " | ".join(f"{r[k]:.2f}" for k in names) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
