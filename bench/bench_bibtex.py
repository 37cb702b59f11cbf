"""Benchmark of reading whole BibTeX libraries: how long and how much memory a file takes.

Run from the repository root::

    python3 bench/bench_bibtex.py                # both sizes, best of 3, a Markdown table
    python3 bench/bench_bibtex.py --repeat 1

It writes ``bench/out/bibtex/`` from a fixed seed: a *lab* bibliography of 6,315 entries
without abstracts (the size of the one in issue 9, about 2 MB) and a *library* of entries that
keep abstracts of about 1,200 characters, as many as fit in the loader's limit for a ``.bib``
file (:data:`build_tools.core.reading.MAX_BIB_BYTES`). Each entry has five authors, a title,
journal, year, volume, number, pages, DOI, keywords and a design. For each file, in a fresh
process (so the peak memory is that file's), it times what a load does with it: parse
(:func:`build_tools.bibtex.files.load_bibtex`), make the sources
(:func:`build_tools.bibtex.macros.read_entries`) and finish them
(:func:`build_tools.bibtex.macros.resolve`). bench/README.md has the results.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out" / "bibtex"
SEED = 20240601
WORDS = ["walking", "back", "pain", "trial", "randomised", "exercise", "cohort", "lumbar", "disc",
         "spine", "adults", "chronic", "acute", "therapy", "participants", "outcome",
         "follow-up", "intervention", "usual", "care"]


def _entry(rng: random.Random, i: int, abstract: bool) -> str:
    authors = " and ".join(f"Author{i}x{j}, {chr(65 + j)} {chr(66 + j)}" for j in range(5))
    fields = [f"author = {{{authors}}}",
              f"title = {{{' '.join(rng.choice(WORDS) for _ in range(12))}}}",
              f"journal = {{Journal of {rng.choice(WORDS)}}}", f"year = {{{1990 + i % 30}}}",
              f"volume = {{{i % 50}}}", f"number = {{{i % 12}}}",
              f"pages = {{{i}--{i + 10}}}", f"doi = {{10.1000/x.{i}}}",
              f"keywords = {{{', '.join(rng.sample(WORDS, 4))}}}", "design = {rct}"]
    if abstract:
        fields.append(f"abstract = {{{' '.join(rng.choice(WORDS) for _ in range(170))}}}")
    return f"@article{{key{i},\n  " + ",\n  ".join(fields) + "\n}\n\n"


def write(name: str, count: int | None, abstract: bool, limit: int) -> Path:
    """``count`` entries, or as many as fit in ``limit`` bytes."""
    rng = random.Random(SEED)
    chunks, size, i = [], 0, 0
    while count is None or i < count:
        text = _entry(rng, i, abstract)
        if size + len(text.encode()) > limit:
            break
        chunks.append(text)
        size += len(text.encode())
        i += 1
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    path.write_text("".join(chunks), encoding="utf-8")
    return path


def measure(path: Path, repeat: int) -> dict[str, float]:
    """In this process: the best time of ``repeat`` loads of ``path``, and the peak memory."""
    sys.path.insert(0, str(REPO))
    from build_tools.bibtex.files import load_bibtex
    from build_tools.bibtex.macros import read_entries, resolve
    times, entries = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = read_entries(load_bibtex(path, path.name), path.name)
        [(sources, problems)] = resolve([result])
        times.append(time.perf_counter() - start)
        entries = len(sources)
        assert not problems, problems[:3]
    return {"entries": entries, "bytes": path.stat().st_size, "seconds": min(times),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0
    sys.path.insert(0, str(REPO))
    from build_tools.core.reading import MAX_BIB_BYTES
    files = [("lab", write("lab.bib", 6315, False, MAX_BIB_BYTES)),
             ("library", write("library.bib", None, True, MAX_BIB_BYTES))]
    print(f"{platform.system()} {platform.machine()}, Python {platform.python_version()}\n")
    print("| file | entries | MB | load (s) | s per 1,000 entries | peak memory (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, path in files:
        out = subprocess.run([sys.executable, __file__, "--measure", str(path), "--repeat",
                              str(args.repeat)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"| {name} | {r['entries']:,} | {r['bytes'] / 1e6:.1f} | {r['seconds']:.2f} | "
              f"{1000 * r['seconds'] / r['entries']:.2f} | {r['peak_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
