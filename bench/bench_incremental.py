"""Benchmark of rebuilding after one edit: one claim's verdict changed after a full run.

Run from the repository root::

    python3 bench/bench_incremental.py --sizes 1000 --real        # a few minutes
    python3 bench/bench_incremental.py --sizes 10000 --pairs 3    # about an hour (MkDocs)
    python3 bench/bench_incremental.py --sizes 10000 --only check render

For each knowledge base (``--sizes``: synthetic ones from ``bench_check.generate``, N claims and
N/2 BibTeX entries as in ``bench_build.py``; ``--real``: a clone of this repository, with its git
history) it times, as commands (interpreter start-up and imports included), in pairs run one
after the other so that a change in the machine's load moves both:

* **check**: B is ``python -m build_tools check ROOT`` with no cache (``ROOT/.kb-cache``
  removed first); A is the same command after one claim's verdict was changed (accurate <->
  mostly accurate: both valid for the same evidence), with whatever the first run left;
* **render**: B is ``render --out`` into an empty folder with no cache; A is ``render --out``
  into the same folder again after the edit;
* **build**: B is ``mkdocs build`` of the project (the repository's mkdocs.yml and docs/, the
  ``evidence`` plugin pointed at the knowledge base) from nothing; A is ``mkdocs build --dirty``
  after the edit. The peak memory of B is the full build's;
* **serve**: ``mkdocs serve --dirty`` (and ``mkdocs serve`` with ``--serve-plain``) is started
  once; after its first build, the claim is saved with its verdict changed ``--edits`` times, and
  each time the delay from the claim file's modification time to that of its page in the served
  folder is read (both are the file system's clock; the page's new text is checked).

Each pair gives the ratio A / B of wall times (and of CPU times: user + system of the command
and of the processes it waited for, from ``os.wait4``); the table gives their median, least and
most. Peak memory is the largest resident set of the command (``ru_maxrss``). Results go to
stdout as Markdown and to ``bench/out/incremental-results.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from bench_build import SOURCE_DATE_EPOCH, write_projects  # noqa: E402
from bench_check import SEED, generate, machine  # noqa: E402

CACHE = ".kb-cache"
VERDICTS = ("verdict: accurate\n", "verdict: mostly-accurate\n")
LABELS = {"verdict: accurate\n": "Accurate", "verdict: mostly-accurate\n": "Mostly accurate"}


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    code: int


@dataclass
class Kb:
    name: str
    root: Path
    project: Path
    """The folder holding mkdocs.yml and docs/."""
    claim: Path
    """The claim whose verdict is changed."""


def env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
                PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))


TIME = "/usr/bin/time"
"""GNU time, for the peak memory of the command itself: a child's ``ru_maxrss`` seen from
here starts at this (large) process's size, which it had when it was forked."""


def command(argv: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> Run:
    """Wall time, CPU time and peak memory of one command (its children waited for)."""
    peak_file = cwd / ".bench-peak"
    t0 = time.perf_counter()
    proc = subprocess.Popen([TIME, "-o", str(peak_file), "-f", "%M", *argv], cwd=cwd,
                            env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read()  # read to the end, then reap: the rusage is this command's
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{argv} in {cwd} exited {proc.returncode}:\n"
                         f"{output.decode(errors='replace')[-4000:]}")
    peak = int(peak_file.read_text().split()[-1]) / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, peak, proc.returncode)


def toggle(path: Path) -> str:
    """Change the claim's verdict (accurate <-> mostly accurate); the new verdict's label."""
    text = path.read_text(encoding="utf-8")
    for old, new in (VERDICTS, VERDICTS[::-1]):
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            return LABELS[new]
    raise SystemExit(f"{path}: no verdict accurate or mostly-accurate to change")


def pick_claim(root: Path) -> Path:
    for path in sorted((root / "claims").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        if any(v in text for v in VERDICTS):
            return path
    raise SystemExit(f"{root}: no claim with verdict accurate or mostly-accurate")


def synthetic(n: int, out: Path) -> Kb:
    work = out / f"incremental-{n}"
    root = work / "kb"
    stamp = work / "generator.sha256"  # a folder left by an older generator is made again
    made_by = hashlib.sha256((HERE / "bench_check.py").read_bytes()).hexdigest()
    if not (root / "claims").is_dir() or len(list((root / "claims").glob("*.yml"))) != n \
            or not stamp.is_file() or stamp.read_text() != made_by:
        if root.exists():
            shutil.rmtree(root)
        generate(root, n, n // 2, SEED)
        stamp.write_text(made_by)
    project, _ = write_projects(work, root.resolve())
    return Kb(f"{n:,} claims", root.resolve(), project.resolve(), pick_claim(root).resolve())


def real(out: Path) -> Kb:
    """A clone of this repository's committed state (its history included), so that editing a
    claim touches nothing of the working copy."""
    clone = out / "incremental-real"
    if clone.exists():
        shutil.rmtree(clone)
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], check=True)
    clone = clone.resolve()
    return Kb("real knowledge base", clone, clone, pick_claim(clone))


def clear(*paths: Path) -> None:
    for p in paths:
        for x in (p, p.with_name(p.name + ".building"), p.with_name(p.name + ".old"),
                  p.with_name(p.name + ".new")):
            if x.is_dir():
                shutil.rmtree(x)


def pair_check(kb: Kb) -> tuple[Run, Run]:
    argv = [sys.executable, "-m", "build_tools", "check", str(kb.root)]
    clear(kb.root / CACHE)
    cold = command(argv, kb.root, ok=(0, 1))
    toggle(kb.claim)
    return command(argv, kb.root, ok=(0, 1)), cold


def pair_check_no_cache(kb: Kb) -> tuple[Run, Run]:
    """B: ``check --no-cache`` (what a cold check costs without writing the cache); A: ``check``
    after one edit, the cache of an earlier run kept."""
    argv = [sys.executable, "-m", "build_tools", "check", str(kb.root)]
    if not (kb.root / CACHE).is_dir():
        command(argv, kb.root, ok=(0, 1))
    cold = command([*argv, "--no-cache"], kb.root, ok=(0, 1))
    toggle(kb.claim)
    return command(argv, kb.root, ok=(0, 1)), cold


def pair_render(kb: Kb) -> tuple[Run, Run]:
    out = kb.project / "rendered" / "docs"
    argv = [sys.executable, "-m", "build_tools", "render", "--config",
            str(kb.project / "mkdocs.yml"), "--out", str(out)]
    clear(kb.root / CACHE, out)
    cold = command(argv, kb.project)
    label = toggle(kb.claim)
    warm = command(argv, kb.project)
    page = out / "claims" / f"{kb.claim.stem}.md"
    assert label in page.read_text(encoding="utf-8"), f"{page}: no {label!r} after the edit"
    return warm, cold


def pair_build(kb: Kb) -> tuple[Run, Run]:
    site = kb.project / "site-bench"
    argv = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(kb.project / "mkdocs.yml"),
            "-d", str(site)]
    clear(kb.root / CACHE, site)
    cold = command(argv, kb.project)
    label = toggle(kb.claim)
    warm = command([*argv, "--dirty"], kb.project)
    page = site / "claims" / kb.claim.stem / "index.html"
    assert label in page.read_text(encoding="utf-8"), f"{page}: no {label!r} after the edit"
    return warm, cold


def pair_build_again(kb: Kb) -> tuple[Run, Run]:
    """B: ``mkdocs build`` from nothing; A: ``mkdocs build`` (not dirty) after the edit, with
    the cache the first left: MkDocs renders every page again, the plugin only what changed."""
    site = kb.project / "site-bench"
    argv = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(kb.project / "mkdocs.yml"),
            "-d", str(site)]
    clear(kb.root / CACHE, site)
    cold = command(argv, kb.project)
    toggle(kb.claim)
    return command(argv, kb.project), cold


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(kb: Kb, edits: int, dirty: bool, out: Path, first_timeout: float) -> dict:
    """Delays from a claim's save to its page's rewrite under ``mkdocs serve``."""
    tmp = out / "serve-tmp"
    clear(tmp, kb.root / CACHE)
    tmp.mkdir(parents=True)
    log = (out / "serve.log").open("wb")
    argv = [sys.executable, "-m", "mkdocs", "serve", "-f", str(kb.project / "mkdocs.yml"),
            "-a", f"127.0.0.1:{_free_port()}"] + (["--dirty"] if dirty else [])
    proc = subprocess.Popen(argv, cwd=kb.project, env={**env(), "TMPDIR": str(tmp)},
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    delays: list[float] = []
    done: list[float] = []
    t0 = time.perf_counter()
    try:
        page = None
        while page is None or not page.is_file() or b"Serving on" not in (
                out / "serve.log").read_bytes():
            if proc.poll() is not None or time.perf_counter() - t0 > first_timeout:
                raise SystemExit(f"mkdocs serve did not come up: see {out / 'serve.log'}")
            time.sleep(0.2)
            sites = list(tmp.glob("mkdocs_*"))
            if sites:
                page = sites[0] / "claims" / kb.claim.stem / "index.html"
        first = time.perf_counter() - t0
        for i in range(edits):
            # a save comes after the last build ended (its search index written, which
            # MkDocs logs as "Documentation built"), not while it is still indexing
            _wait_built(out / "serve.log", 1 + i, proc)
            time.sleep(0.5)
            before = page.stat().st_mtime_ns
            label = toggle(kb.claim)
            saved = kb.claim.stat().st_mtime_ns
            deadline = time.perf_counter() + 900
            while True:
                try:
                    st = page.stat()
                    if st.st_mtime_ns != before and label.encode() in page.read_bytes():
                        break
                except OSError:
                    pass  # being replaced
                if time.perf_counter() > deadline or proc.poll() is not None:
                    raise SystemExit(f"the page was not rewritten: see {out / 'serve.log'}")
                time.sleep(0.02)
            delays.append((st.st_mtime_ns - saved) / 1e9)
            _wait_built(out / "serve.log", 2 + i, proc)
            done.append(time.time() - saved / 1e9)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
    return {"first_build_s": first, "delays_s": delays, "built_s": done}


def _wait_built(log: Path, builds: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the server has logged the end of ``builds`` builds (search index included)."""
    deadline = time.perf_counter() + 900
    while log.read_bytes().count(b"Documentation built in") < builds:
        if time.perf_counter() > deadline or proc.poll() is not None:
            raise SystemExit(f"mkdocs serve did not finish a build: see {log}")
        time.sleep(0.05)


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def pairs(fn, kb: Kb, n: int) -> dict:
    warm, cold = [], []
    for i in range(n):
        a, b = fn(kb)
        warm.append(a)
        cold.append(b)
        print(f"  {kb.name} {fn.__name__} pair {i + 1}: A {a.wall:.2f} s, B {b.wall:.2f} s, "
              f"A/B {a.wall / b.wall:.3f}", file=sys.stderr, flush=True)
    return {
        "A": [asdict(r) for r in warm], "B": [asdict(r) for r in cold],
        "wall_ratio": spread([a.wall / b.wall for a, b in zip(warm, cold, strict=True)]),
        "cpu_ratio": spread([a.cpu / b.cpu for a, b in zip(warm, cold, strict=True)]),
        "A_wall": spread([r.wall for r in warm]), "B_wall": spread([r.wall for r in cold]),
        "B_peak_mb": spread([r.peak_mb for r in cold]),
        "A_peak_mb": spread([r.peak_mb for r in warm]),
    }


def fmt(s: dict[str, float], unit: str = "", digits: int = 2) -> str:
    return (f"{s['median']:.{digits}f}{unit} ({s['min']:.{digits}f}–{s['max']:.{digits}f})")


KINDS = {"check": pair_check, "check-no-cache": pair_check_no_cache, "render": pair_render,
         "build": pair_build, "build-again": pair_build_again}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[1_000])
    p.add_argument("--real", action="store_true", help="also the repository's own claims")
    p.add_argument("--pairs", type=int, default=5)
    p.add_argument("--build-pairs", type=int, default=None,
                   help="pairs of MkDocs builds (default: --pairs)")
    p.add_argument("--edits", type=int, default=5, help="saves under mkdocs serve")
    p.add_argument("--only", nargs="+", choices=[*KINDS, "serve"],
                   default=["check", "check-no-cache", "render", "build", "serve"])
    p.add_argument("--serve-plain", action="store_true",
                   help="also time mkdocs serve without --dirty")
    p.add_argument("--out", type=Path, default=HERE / "out")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    kbs = [synthetic(n, args.out) for n in args.sizes] + ([real(args.out)] if args.real else [])
    results: dict[str, dict] = {}
    for kb in kbs:
        res = results[kb.name] = {}
        for kind in args.only:
            if kind == "serve":
                modes = [True] + ([False] if args.serve_plain else [])
                for dirty in modes:
                    name = "serve --dirty" if dirty else "serve"
                    res[name] = serve(kb, args.edits, dirty, args.out, first_timeout=3600)
                    print(f"  {kb.name} {name}: {res[name]}", file=sys.stderr, flush=True)
            else:
                n = args.build_pairs if kind.startswith("build") and args.build_pairs \
                    else args.pairs
                res[kind] = pairs(KINDS[kind], kb, n)
    (args.out / "incremental-results.json").write_text(json.dumps(results, indent=1))

    commit = subprocess.run(["git", "-C", str(REPO), "log", "-1", "--format=%h"],
                            capture_output=True, text=True, check=False).stdout.strip()
    print(f"Machine: {machine(extra=f'commit {commit}')}\n")
    print("| knowledge base | what | B: from nothing (s) | A: after one edit (s) | A / B wall | "
          "A / B CPU | peak MB (B; A) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    names = {"check": ("`check`, no cache", "`check` again"),
             "check-no-cache": ("`check --no-cache`", "`check` again"),
             "render": ("`render --out`, empty folder, no cache", "`render --out` again"),
             "build": ("`mkdocs build`, nothing built", "`mkdocs build --dirty`"),
             "build-again": ("`mkdocs build`, nothing built", "`mkdocs build` again")}
    for kb_name, res in results.items():
        for kind, r in res.items():
            if kind.startswith("serve"):
                d = r["delays_s"]
                print(f"| {kb_name} | `mkdocs {kind}`: save to page written | first build "
                      f"{r['first_build_s']:.1f} | {fmt(spread(d))} | | | |")
                print(f"| {kb_name} | `mkdocs {kind}`: save to build done (search index "
                      f"written) | | {fmt(spread(r['built_s']))} | | | |")
                continue
            b, a = names[kind]
            print(f"| {kb_name} | {b} / {a} | {fmt(r['B_wall'])} | {fmt(r['A_wall'])} | "
                  f"{fmt(r['wall_ratio'], digits=3)} | {fmt(r['cpu_ratio'], digits=3)} | "
                  f"{r['B_peak_mb']['median']:.0f}; {r['A_peak_mb']['median']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
