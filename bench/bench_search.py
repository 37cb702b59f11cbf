"""Benchmark of the site's search (Pagefind, docs/decisions/0007-search.md): what a reader's
browser downloads, how soon the first result shows, and what indexing adds to a build.

Run from the repository root::

    python3 bench/bench_search.py                   # 10,000 synthetic claims and the real ones
    python3 bench/bench_search.py --sizes 1000 --pairs 1      # a quick run
    python3 bench/bench_search.py --sizes                     # the real knowledge base only
    git archive 1b2c3d4 | tar -x -C /tmp/before               # the site before (Material's search)
    python3 bench/bench_search.py --baseline /tmp/before      # ... and its cold page beside

For each size N the synthetic knowledge base of ``bench_check.generate`` (the same seed, as
``bench_build.py``) is rendered (``render --out``) and built with MkDocs + Material without the
plugin (``mkdocs.rendered.yml``, the "plain" build); the real knowledge base is built the same
way from the repository. Then:

* **index build share**: the plain build and ``python -m build_tools search-index SITE`` are
  run in turn, ``--pairs`` times, each time from a fresh copy of the built site, and the index
  time over the build time is taken pair by pair (CPU time: user + system of each command and
  its children; wall time too). The median and the spread are printed.
* **bytes and latency in Chromium** (Debian's ``/usr/bin/chromium`` through Playwright), the
  site served on 127.0.0.1 by a server that counts every byte it sends (headers and body, for
  every request the page and its worker make), once as files are (Python's server: no
  compression) and once with HTML, CSS, JavaScript and JSON gzip-compressed, as GitHub Pages and
  most hosts serve them (Pagefind's own files are compressed already and sent as they are):
  - a claim page opened cold (a new browser profile): everything, and the search's share
    (``javascripts/search.js``; nothing of ``pagefind/`` must be fetched before a search);
  - the first query: "/" opens the search, the query is typed at 60 ms a key, and the bytes
    from opening the search until its results are shown, and the time from the last keystroke
    until the results list shows the query's results (``#kb-search-status`` names the query);
  - each further query in the same page: the field is cleared and the next query typed.
* **the index itself**: files and bytes by kind (the page table ``pf_meta``, word chunks,
  fragments, filters), and whether two index builds of the same site are byte-identical.
* with ``--baseline DIR`` (a copy of the repository as it was before, with Material's lunr
  search): the same knowledge bases rendered and built by that copy's code and configuration,
  and what a cold claim page downloads there, search included (Material fetches its whole
  index, ``search/search_index.json``, on every page).

Results go to stdout as Markdown tables, for bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import hashlib
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from bench_build import (  # noqa: E402
    RENDERED_CONFIG,
    _env,
    _EnvLoader,
    render_out,
    write_projects,
)
from bench_check import SEED, generate, machine  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SYNTHETIC_QUERIES = ["walking recurrence", "lumbar pillow", "yoga sleep",
                     "does walking stop back pain coming back", "swimming stiffness"]
REAL_QUERIES = ["walking recurrence", "lumbar pillow", "tylenol for back pain",
                "does walking stop back pain coming back", "10,000 steps"]
TYPING_DELAY_MS = 60
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")


# --- timing the index against the build ------------------------------------------------------


def run(argv: list[str], cwd: Path, tree: Path = REPO) -> tuple[float, float]:
    """Wall and CPU time (user + system, with the processes it waited for) of a command, with
    the ``build_tools`` of ``tree``."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = dict(_env(), PYTHONPATH=str(tree))
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{argv} failed ({done.returncode}):\n{done.stdout[-3000:]}"
                         f"{done.stderr[-3000:]}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def plain_build(project: Path, site: Path) -> tuple[float, float]:
    if site.exists():
        shutil.rmtree(site)
    return run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",
                str(project / RENDERED_CONFIG), "-d", str(site)], project)


def index_build(site: Path) -> tuple[float, float]:
    return run([sys.executable, "-m", "build_tools", "search-index", str(site)], REPO)


@dataclass
class Share:
    plain: list[tuple[float, float]] = field(default_factory=list)
    index: list[tuple[float, float]] = field(default_factory=list)

    def ratios(self, which: int) -> list[float]:
        return [i[which] / p[which] for p, i in zip(self.plain, self.index, strict=True)]


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    """Median, then least and most: ``9.1 (8.7–9.8)``."""
    if not values:
        return "–"
    return (fmt.format(statistics.median(values)) + " (" + fmt.format(min(values)) + "–"
            + fmt.format(max(values)) + ")")


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def index_files(site: Path) -> dict[str, tuple[int, int]]:
    """Files and bytes of the Pagefind bundle, by kind."""
    bundle = site / "pagefind"
    kinds: dict[str, tuple[int, int]] = {}
    for p in bundle.rglob("*"):
        if not p.is_file():
            continue
        rel = p.relative_to(bundle).as_posix()
        kind = rel.split("/")[0] if "/" in rel else (
            "page table (pf_meta)" if rel.endswith(".pf_meta") else rel)
        n, b = kinds.get(kind, (0, 0))
        kinds[kind] = (n + 1, b + p.stat().st_size)
    return dict(sorted(kinds.items()))


# --- the browser -----------------------------------------------------------------------------


class CountingHandler(SimpleHTTPRequestHandler):
    """Counts what it sends, per path; compresses text types when ``compress`` is set."""

    compress = False
    sent: list[tuple[str, int]]
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = self.translate_path(self.path)
        if (self.compress and os.path.isfile(path) and path.endswith(COMPRESSED)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            with open(path, "rb") as f:
                data = gzip.compress(f.read(), 6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)
        return super().send_head()

    def setup(self) -> None:
        super().setup()
        self.wfile = _Counting(self.wfile, self)  # type: ignore[assignment]

    def count(self, n: int) -> None:
        with self.lock:
            self.sent.append((self.path.split("?")[0], n))


class _Counting:
    def __init__(self, raw: Any, handler: CountingHandler) -> None:
        self.raw, self.handler = raw, handler

    def write(self, b: bytes) -> int:
        self.handler.count(len(b))
        return self.raw.write(b)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


@contextlib.contextmanager
def serve(root: Path, compress: bool) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    sent: list[tuple[str, int]] = []
    handler = type("H", (CountingHandler,), {"compress": compress, "sent": sent})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler,
                                                                     directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", sent
    finally:
        server.shutdown()
        server.server_close()


def by_path(sent: list[tuple[str, int]], since: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for path, n in sent[since:]:
        out[path] = out.get(path, 0) + n
    return out


@dataclass
class Query:
    text: str
    bytes: int
    ms: float
    results: str
    top: dict[str, int]


@dataclass
class Browse:
    compressed: bool
    cold_page: int
    cold_search: int
    cold_paths: dict[str, int]
    queries: list[Query]


WATCH = """(q) => {
  window.__shown = 0;
  window.__lastKey = 0;
  const input = document.getElementById("kb-search-input");
  if (!input.dataset.benchKeys) {
    input.dataset.benchKeys = "1";
    input.addEventListener("keydown", () => { window.__lastKey = performance.now(); });
  }
  const status = document.getElementById("kb-search-status");
  const done = () => status.textContent.includes("\u201c" + q + "\u201d")
    && document.querySelectorAll("#kb-search-results .kb-result").length > 0;
  const watch = new MutationObserver(() => {
    if (done()) { watch.disconnect(); window.__shown = performance.now(); }
  });
  watch.observe(document.querySelector("dialog.kb-search"),
                {subtree: true, childList: true, characterData: true});
}"""
"""Notes when the results list shows the results of query ``q`` (the status names it) and
when the last key was pressed."""


def browse(site: Path, claim: str, queries: list[str], compressed: bool) -> Browse:
    from playwright.sync_api import sync_playwright

    with serve(site, compressed) as (base, sent), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base + claim, wait_until="networkidle")
            page.wait_for_timeout(500)
            cold = by_path(sent, 0)
            search_paths = {k: v for k, v in cold.items()
                            if "search" in k or k.startswith("/pagefind/")}
            results: list[Query] = []
            mark = len(sent)  # the first query counts from opening the search
            page.keyboard.press("/")
            box = page.locator("#kb-search-input")
            box.wait_for()
            for i, q in enumerate(queries):
                if i:
                    box.fill("")
                    page.wait_for_timeout(400)
                    mark = len(sent)
                page.evaluate(WATCH, q)
                box.press_sequentially(q, delay=TYPING_DELAY_MS)
                page.wait_for_function("window.__shown > 0", timeout=120_000)
                shown, last = page.evaluate("[window.__shown, window.__lastKey]")
                page.wait_for_timeout(600)  # what the results list still fetches
                paths = by_path(sent, mark)
                status = page.locator("#kb-search-status").inner_text()
                results.append(Query(q, sum(paths.values()), shown - last, status,
                                     dict(sorted(paths.items(), key=lambda kv: -kv[1])[:6])))
            context.close()
        finally:
            browser.close()
    return Browse(compressed, sum(cold.values()), sum(search_paths.values()), search_paths,
                  results)


# --- the runs ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    claims: int
    pages: int
    share: Share
    index: dict[str, tuple[int, int]]
    deterministic: bool
    browses: list[Browse]


def first_claim(site: Path) -> str:
    page = sorted((site / "claims").glob("*/index.html"))[0]
    return f"claims/{page.parent.name}/"


def measure_site(name: str, project: Path, site: Path, claims: int, pairs: int,
                 queries: list[str]) -> Result:
    share = Share()
    for i in range(pairs):
        share.plain.append(plain_build(project, site))
        share.index.append(index_build(site))
        print(f"  {name}: pair {i + 1}: build {share.plain[-1][0]:.1f} s wall, index "
              f"{share.index[-1][0]:.1f} s wall", file=sys.stderr)
    first = digest(site / "pagefind")
    index_build(site)
    same = digest(site / "pagefind") == first
    pages = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(
        encoding="utf-8"))["languages"]
    n_pages = sum(v["page_count"] for v in pages.values())
    claim = first_claim(site)
    browses = [browse(site, claim, queries, compressed) for compressed in (True, False)]
    return Result(name, claims, n_pages, share, index_files(site), same, browses)


def synthetic(n: int, out: Path, pairs: int, tree: Path | None) -> tuple[Result, Baseline | None]:
    work = out / f"search-{n}"
    kb_root = (work / "kb").resolve()
    if not kb_root.exists():
        generate(kb_root, n, max(50, n // 2), SEED)
    _, project = write_projects(work, kb_root)
    render_out(project)
    name = f"synthetic, {n:,} claims"
    result = measure_site(name, project, work / "site", n, pairs, SYNTHETIC_QUERIES)
    return result, baseline(tree, name, kb_root, work) if tree else None


def real(out: Path, pairs: int, tree: Path | None) -> tuple[Result, Baseline | None]:
    work = out / "search-real"
    project = work / "plain"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", RENDERED_CONFIG):
        shutil.copy2(REPO / name, project / name)
    run([sys.executable, "-m", "build_tools", "render", "--out",
         str(project / "rendered" / "docs")], REPO)
    claims = len(list((REPO / "claims").glob("*.yml")))
    name = f"real, {claims} claims"
    result = measure_site(name, project, work / "site", claims, pairs, REAL_QUERIES)
    return result, baseline(tree, name, REPO, work) if tree else None


@dataclass
class Baseline:
    name: str
    cold: list[tuple[bool, int, int]]
    """(compressed, all bytes, of them the search's) of a cold claim page."""


def cold_page(site: Path, claim: str, compressed: bool) -> tuple[int, int]:
    """What a claim page opened cold downloads: all, and of it the search's (Material's index
    and its search worker, or this site's search script)."""
    from playwright.sync_api import sync_playwright

    with serve(site, compressed) as (base, sent), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + claim, wait_until="networkidle")
            page.wait_for_timeout(1000)
        finally:
            browser.close()
        paths = by_path(sent, 0)
    return sum(paths.values()), sum(n for k, n in paths.items() if "search" in k)


def baseline(tree: Path, name: str, kb_root: Path, work: Path) -> Baseline:
    """The knowledge base at ``kb_root`` rendered and built by the copy of the repository in
    ``tree`` (render --out, then MkDocs with its mkdocs.rendered.yml), measured cold."""
    import yaml

    project = work / "baseline"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(tree / "docs", project / "docs")
    config = yaml.load((tree / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    config.pop("site_dir", None)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "evidence" in plugin:
            plugin["evidence"]["root"] = str(kb_root)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                        encoding="utf-8")
    shutil.copy2(tree / RENDERED_CONFIG, project / RENDERED_CONFIG)
    run([sys.executable, "-m", "build_tools", "render", "--config", str(project / "mkdocs.yml"),
         "--out", str(project / "rendered" / "docs")], project, tree)
    site = project / "site"
    run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / RENDERED_CONFIG),
         "-d", str(site)], project, tree)
    claim = first_claim(site)
    return Baseline(name, [(c, *cold_page(site, claim, c)) for c in (True, False)])


def kb(n: int) -> str:
    return f"{n / 1000:.1f} KB"


def report(results: list[Result], baselines: list[Baseline]) -> str:
    lines = ["| knowledge base | pages indexed | plain build (s, wall) | index (s, wall) | "
             "index / build, CPU (%) | index / build, wall (%) | same bytes twice |",
             "|---|---:|---|---|---|---|---|"]
    for r in results:
        lines.append(
            f"| {r.name} | {r.pages:,} | {spread([p[0] for p in r.share.plain])} | "
            f"{spread([i[0] for i in r.share.index])} | "
            f"{spread([100 * x for x in r.share.ratios(1)])} | "
            f"{spread([100 * x for x in r.share.ratios(0)])} | "
            f"{'yes' if r.deterministic else 'NO'} |")
    lines += ["", "| knowledge base | served | cold claim page: all | of it search | "
              "first query | first result after last key | further queries (each) |",
              "|---|---|---:|---:|---:|---:|---|"]
    for r in results:
        for b in r.browses:
            first, rest = b.queries[0], b.queries[1:]
            lines.append(
                f"| {r.name} | {'gzip' if b.compressed else 'as is'} | {kb(b.cold_page)} | "
                f"{kb(b.cold_search)} | {kb(first.bytes)} | {first.ms:.0f} ms | "
                + ", ".join(f"{kb(q.bytes)} ({q.ms:.0f} ms)" for q in rest) + " |")
    if baselines:
        lines += ["", "Before (Material's lunr search), a cold claim page:", "",
                  "| knowledge base | served | all | of it search |", "|---|---|---:|---:|"]
        for bl in baselines:
            for compressed, every, searching in bl.cold:
                lines.append(f"| {bl.name} | {'gzip' if compressed else 'as is'} | "
                             f"{kb(every)} | {kb(searching)} |")
    lines += ["", "Queries and what they fetched (gzip):", ""]
    for r in results:
        b = r.browses[0]
        for q in b.queries:
            lines.append(f"- {r.name}, “{q.text}”: {q.results} {kb(q.bytes)}: " + ", ".join(
                f"{path} {kb(n)}" for path, n in q.top.items()))
    lines += ["", "| knowledge base | " + " | ".join(
        sorted({k for r in results for k in r.index})) + " |"]
    kinds = sorted({k for r in results for k in r.index})
    lines.append("|---|" + "---:|" * len(kinds))
    for r in results:
        lines.append(f"| {r.name} | " + " | ".join(
            f"{r.index[k][0]:,} files, {kb(r.index[k][1])}" if k in r.index else "–"
            for k in kinds) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    p.add_argument("--pairs", type=int, default=3, help="build and index runs, in turn")
    p.add_argument("--no-real", action="store_true", help="skip the real knowledge base")
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--baseline", type=Path, metavar="DIR",
                   help="a copy of the repository before (Material's search), measured beside")
    args = p.parse_args(argv)
    tree = args.baseline.resolve() if args.baseline else None
    pairs = [synthetic(n, args.out, args.pairs, tree) for n in args.sizes]
    if not args.no_real:
        pairs.append(real(args.out, max(args.pairs, 5), tree))
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    here = machine(("MkDocs", "mkdocs"), ("Material", "mkdocs-material"),
                   ("Pagefind", "pagefind"), extra=chromium)
    print(f"Machine: {here}\n")
    print(report([r for r, _ in pairs], [b for _, b in pairs if b]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
