"""Benchmark of two ways to make ``check`` fast: a second process, or a persistent cache.

Run from the repository root::

    python3 bench/bench_orchestrator.py                # 10,000 claims, best of 3 (minutes)
    python3 bench/bench_orchestrator.py --sizes 1000   # a quick run

The loader reads every file on a cold start and, within one process (``mkdocs serve``), only
the files that changed. Two designs make the cold start fast:

* **second process** (shipped): :func:`build_tools.core.parallel.map_in_two` gives about half
  of what must be read to a forked child;
* **persistent cache** (a prototype here, not in build_tools): what each file held is pickled to
  a file after every load, keyed on its size and modification time, as ruff and mypy keep theirs,
  and read back by the next process, which re-reads only the files that changed.

For each size N (``bench_check.generate``, the same seed and 5,000 BibTeX entries) it times, as
commands (a new interpreter each time, so every run starts cold: imports, then the load):

* ``check`` **cold**: nothing cached (CI, a fresh clone);
* ``check`` **warm, one file changed**: a claim file saved again with one word changed, after a
  run that left whatever its design keeps (pre-commit, an editor re-running ``check``);

each with two cores (the second process is used) and with one (``taskset -c 0``: no fork), and
the warm case in one process too (``mkdocs serve``: a second ``Loader.load()`` after the edit).
The prototype's cache is keyed on a hash of the build_tools sources as well, so a code change
cannot serve stale records; that hashing is part of its time. Wall times, best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from bench_check import SEED, TODAY, generate, machine  # noqa: E402

from build_tools.knowledge_base import Loader  # noqa: E402

PROTOTYPE = r'''
import gc, hashlib, os, pickle, sys, time
from pathlib import Path
from build_tools import knowledge_base
from build_tools.commands.check import report

gc.disable()  # unpickling makes millions of objects, as loading does (the loader pauses it too)

root, cache_file = Path(sys.argv[1]), Path(sys.argv[2])
code = hashlib.sha256()
for p in sorted(Path(knowledge_base.__file__).parent.rglob("*.py")):
    code.update(p.read_bytes())
version = code.hexdigest()
loader = knowledge_base.Loader(root)
try:
    with cache_file.open("rb") as f:
        saved_version, cache = pickle.load(f)
    if saved_version == version:
        loader._cache = cache
except FileNotFoundError:
    pass
kb = loader.load()
tmp = cache_file.with_suffix(".tmp")
with tmp.open("wb") as f:
    pickle.dump((version, loader._cache), f, pickle.HIGHEST_PROTOCOL)
os.replace(tmp, cache_file)
sys.exit(report(kb, False, open(os.devnull, "w"), False))
'''
"""``check`` with a persistent per-file cache: the loader's own cache, pickled between runs."""


def command(argv: list[str], one_core: bool) -> tuple[float, float]:
    """Wall and CPU time of a command, with the processes it waited for (exit 0 or 1
    allowed: warnings are not failures here)."""
    cmd = (["taskset", "-c", "0"] if one_core else []) + argv
    env = dict(os.environ, PYTHONPATH=str(REPO))
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def touch_one(root: Path, k: int) -> None:
    """Change one word of one claim file (a different one each time), as an editor's save."""
    claims = sorted((root / "claims").glob("*.yml"))
    path = claims[(k * 7919) % len(claims)]
    text = path.read_text(encoding="utf-8")
    marker = "so the verdict is"
    new = text.replace(marker, "hence the verdict is", 1) if marker in text else \
        text.replace("hence the verdict is", marker, 1)
    path.write_text(new, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def measure(root: Path, repeat: int, cache_file: Path) -> dict[str, tuple[float, float]]:
    """For each case, the best wall time and the best CPU time (of ``repeat`` runs)."""
    check = [sys.executable, "-m", "build_tools", "check", str(root)]
    cached = [sys.executable, "-c", PROTOTYPE, str(root), str(cache_file)]
    runs: dict[str, list[tuple[float, float]]] = {}
    for k in range(repeat):
        for cores, one in (("2 cores", False), ("1 core", True)):
            runs.setdefault(f"second process, {cores}: cold", []).append(command(check, one))
            touch_one(root, 2 * k + one)
            runs.setdefault(f"second process, {cores}: warm, one file changed", []).append(
                command(check, one))
            cache_file.unlink(missing_ok=True)
            runs.setdefault(f"persistent cache, {cores}: cold", []).append(command(cached, one))
            touch_one(root, 2 * k + one + 100)
            runs.setdefault(f"persistent cache, {cores}: warm, one file changed", []).append(
                command(cached, one))
        loader = Loader(root, today=TODAY)
        loader.load()
        touch_one(root, k + 200)
        t0, c0 = time.perf_counter(), time.process_time()
        loader.load()
        runs.setdefault("in one process (mkdocs serve): warm, one file changed", []).append(
            (time.perf_counter() - t0, time.process_time() - c0))
        assert len(loader.reread) == 1, loader.reread
        print(f"  run {k + 1}: " + ", ".join(f"{name} {t[-1][0]:.2f}/{t[-1][1]:.2f}"
                                              for name, t in runs.items()), file=sys.stderr)
    return {name: (min(w for w, _ in times), min(c for _, c in times))
            for name, times in runs.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    p.add_argument("--entries", type=int, default=5_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=HERE / "out")
    args = p.parse_args(argv)
    if not shutil.which("taskset"):
        raise SystemExit("taskset (util-linux) is needed to time one core")
    results = {}
    for n in args.sizes:
        root = args.out / f"kb-{n}"
        if not (root / "claims").is_dir() or \
                len(list((root / "claims").glob("*.yml"))) != n:
            t0 = time.perf_counter()
            generate(root, n, args.entries, SEED)
            print(f"generated {root} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        results[n] = measure(root.resolve(), args.repeat, (args.out / f"cache-{n}.pickle"))
    print(f"Machine: {machine()}\n")
    names = list(next(iter(results.values())))
    print("| `check` | " + " | ".join(f"{n:,} claims: wall, CPU (s)" for n in results) + " |")
    print("|---|" + "---:|" * len(results))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{r[name][0]:.2f}, {r[name][1]:.2f}"
                                          for r in results.values()) + " |")
    for n in results:
        size = (args.out / f"cache-{n}.pickle").stat().st_size / 1e6
        print(f"\nPersistent cache file at {n:,} claims: {size:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
