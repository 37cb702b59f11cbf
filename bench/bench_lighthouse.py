"""Lighthouse mobile performance of every page type of the built site (a bench, not a test).

Builds the site with ``mkdocs build --strict`` (one build per ``--config``), serves each build on
127.0.0.1 as a static host would (gzip for text, as GitHub Pages serves it), and runs Lighthouse
from npm against Debian's Chromium, mobile form factor with its default simulated throttling
(a mid-range phone on a slow 4G link, CPU slowed 4x). For each page type it picks the largest
page of that type (the worst case) and, for claims and scorecards, also the page the issue
named. With two configs the runs alternate A B A B page by page, so that both see the same
machine load; the report gives the median of each figure and its spread (min-max).

    npm install --prefix bench/out/node lighthouse@12.8.2     # once
    python bench/bench_lighthouse.py                          # 3 runs of each page
    python bench/bench_lighthouse.py --runs 5 --vs /tmp/other-mkdocs.yml
    python bench/bench_lighthouse.py --pages scorecard-largest claims-index

Everything is written under ``bench/out/lighthouse/`` (each run's JSON report, and
``results.json``); the table is printed as Markdown for bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "lighthouse"
DEFAULT_LIGHTHOUSE = ROOT / "bench" / "out" / "node" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"

# page type -> a glob of built files (the largest is taken), or one fixed page
PAGE_TYPES: dict[str, str] = {
    "home": "index.html",
    "claims-index": "claims/index.html",
    "claim": "claims/acetaminophen-relieves-low-back-pain/index.html",
    "claim-largest": "claims/*/index.html",
    "articles-index": "articles/index.html",
    "scorecard": "articles/verywell-walking-lbp/index.html",
    "scorecard-largest": "articles/*/index.html",
    "flags": "flags/index.html",
    "sources-index": "sources/index.html",
    "source-largest": "sources/*/index.html",
    "methodology": "methodology/index.html",
    "corrections": "corrections/index.html",
    "review": "review/index.html",
    "about": "about/index.html",
}
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
SHORT = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP",
         "total-blocking-time": "TBT", "cumulative-layout-shift": "CLS", "speed-index": "SI"}
COMPRESS = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}


def pick(site: Path, pattern: str) -> str:
    """The URL path of the largest built file matching ``pattern``."""
    found = list(site.glob(pattern))
    if not found:
        raise SystemExit(f"bench_lighthouse: no page matches {pattern} in {site}")
    best = max(found, key=lambda p: (p.stat().st_size, str(p)))
    rel = best.relative_to(site).as_posix()
    return "/" + rel.removesuffix("index.html")


class _Handler(SimpleHTTPRequestHandler):
    """A static host: files as they are, text gzipped when the browser accepts it (unless
    ``gzip`` is off: Python's plain file server, as ``python -m http.server`` serves)."""

    protocol_version = "HTTP/1.1"
    compress = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepts and path.is_file() and path.suffix in COMPRESS):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    def handler(*args: Any, **kwargs: Any) -> _Handler:
        return _Handler(*args, directory=str(site), **kwargs)

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build(config: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                    "-d", str(dest)], cwd=ROOT, check=True)


def lighthouse(tool: Path, url: str, report: Path) -> dict[str, float]:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run([str(tool), url, "--only-categories=performance", "--quiet",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    "--output=json", f"--output-path={report}"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    data = json.loads(report.read_text())
    out = {"score": round(data["categories"]["performance"]["score"] * 100)}
    for m in METRICS:
        out[SHORT[m]] = data["audits"][m]["numericValue"]
    return out


def spread(values: list[float], digits: int = 0) -> str:
    med = statistics.median(values)
    fmt = f"{{:.{digits}f}}"
    if len(values) == 1:
        return fmt.format(med)
    return f"{fmt.format(med)} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def save(results: dict[str, Any], args: argparse.Namespace, configs: dict[str, Path]) -> None:
    """``results.json``, rewritten after each page (an interrupted run keeps what it measured)."""
    meta = {"date": time.strftime("%Y-%m-%d"), "runs": args.runs, "gzip": not args.no_gzip,
            "configs": {k: str(c) for k, c in configs.items()}, "load": os.getloadavg()}
    (OUT / "results.json").write_text(json.dumps({"meta": meta, "pages": results}, indent=1))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml")
    ap.add_argument("--vs", type=Path, help="a second mkdocs.yml, run in turn with --config")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", nargs="*", choices=sorted(PAGE_TYPES), default=list(PAGE_TYPES))
    ap.add_argument("--lighthouse", type=Path,
                    default=Path(os.environ.get("LIGHTHOUSE", DEFAULT_LIGHTHOUSE)))
    ap.add_argument("--no-build", action="store_true", help="reuse the sites built last time")
    ap.add_argument("--no-gzip", action="store_true",
                    help="serve without compression (as python -m http.server does)")
    args = ap.parse_args()
    _Handler.compress = not args.no_gzip
    if not args.lighthouse.exists():
        print(f"bench_lighthouse: no Lighthouse at {args.lighthouse} (npm install --prefix "
              "bench/out/node lighthouse)", file=sys.stderr)
        return 2
    configs = {"A": args.config} | ({"B": args.vs} if args.vs else {})
    OUT.mkdir(parents=True, exist_ok=True)
    sites = {k: OUT / f"site-{k}" for k in configs}
    if not args.no_build:
        for k, config in configs.items():
            build(config, sites[k])
    results: dict[str, dict[str, Any]] = {}
    with contextlib.ExitStack() as stack:
        bases = {k: stack.enter_context(serve(site)) for k, site in sites.items()}
        for page in args.pages:
            path = pick(sites["A"], PAGE_TYPES[page])
            runs: dict[str, list[dict[str, float]]] = {k: [] for k in configs}
            for i in range(args.runs):
                for k in configs:
                    report = OUT / f"{page}-{k}-{i}.json"
                    runs[k].append(lighthouse(args.lighthouse, bases[k] + path, report))
            results[page] = {"path": path, "runs": runs}
            save(results, args, configs)
            line = [page, path]
            for k in configs:
                scores = [r["score"] for r in runs[k]]
                tbt = [r["TBT"] for r in runs[k]]
                line.append(f"{k}: {spread(scores)} TBT {spread(tbt)} ms")
            print("  ".join(line), file=sys.stderr, flush=True)
    head = ["page type", "page"]
    for k in configs:
        head += [f"{k} score", f"{k} TBT (ms)", f"{k} LCP (s)", f"{k} FCP (s)", f"{k} CLS"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for page, r in results.items():
        row = [page, f"`{r['path']}`"]
        for k in configs:
            rs = r["runs"][k]
            row += [spread([x["score"] for x in rs]), spread([x["TBT"] for x in rs]),
                    spread([x["LCP"] / 1000 for x in rs], 1),
                    spread([x["FCP"] / 1000 for x in rs], 1),
                    spread([x["CLS"] for x in rs], 2)]
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
