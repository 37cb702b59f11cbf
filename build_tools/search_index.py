"""After any builder: the site's search index, Pagefind's, written into the built site.

``python -m build_tools search-index SITE`` runs it on the output of MkDocs, ProperDocs or
Zensical; the ``evidence`` plugin runs :func:`build_index` itself at the end of a MkDocs (or
ProperDocs) build, before the new site replaces the old. It reads only the built HTML: the pages
say what is indexed, and how (:mod:`build_tools.render.search`); why Pagefind and how it is used:
docs/decisions/0007-search.md.

Three things are done to Pagefind's output, in a staging folder beside the site that replaces
``SITE/pagefind`` only when all went well:

* **It is made deterministic.** Pagefind 1.5 writes its filter files from hash maps, so their
  values, and the filters' order in the page table (``pf_meta``), change from run to run, and
  with them the files' names (hashes of their bytes). :func:`canonical` sorts them, as Pagefind
  would with ordered maps, and names each file as Pagefind does (its SHA-1, its bytes CBOR as
  Pagefind writes them), so the same site gives byte-identical index files.
* **What the site does not use is removed**: Pagefind's own search interfaces (the site has its
  own, docs/javascripts/search.js), its highlighting script, and the WebAssembly of languages
  no page is in.
* **It is checked**: no page marked for indexing (a site not built from this project's pages)
  is an error, not an index of every page's menus.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2

from build_tools.core.problems import CannotRun
from build_tools.render import urls

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
"""The index's folder in the site (docs/javascripts/search.js loads it from there)."""

KEPT = ("pagefind.js", "pagefind-entry.json")
"""Pagefind's files the site's search loads, beside the index itself (the page table, the
WebAssembly of each language, and the ``index/``, ``fragment/`` and ``filter/`` folders). Not
its Web Worker: the site's search runs on the page (``noWorker``), which spares a reader 12 KB
(compressed) on the first query, and a query here takes milliseconds (bench/README.md)."""

CHUNK_SIZE = 4_000
"""Word positions per index chunk, where Pagefind's default is 20,000: a query fetches the
chunks that hold its words, and smaller chunks cut the first query's download on the real
knowledge base by about a fifth (bench/README.md). Pagefind 1.5 reads it from an environment
variable it calls unstable; if a later version drops it, the index is the same with bigger
chunks."""

SIGNATURE = b"pagefind_dcd"
"""What every index file starts with once uncompressed, before its CBOR."""

FOLDERS = tuple(dict.fromkeys(page("x").split("/")[0] for page in (
    urls.claim_page, urls.source_page, urls.article_page)))
"""The folders of the pages that can be indexed (claims, sources, articles): Pagefind reads
only their pages, not the lists and indexes beside them (the claims index alone is 7 MB of HTML
at 10,000 claims), which takes a fifth off its time there."""

NO_BODY = "Did not find a data-pagefind-body element"
"""What Pagefind says when no page marks what to index: it would then index every page whole."""


@dataclass(frozen=True)
class Summary:
    """What was indexed."""

    pages: int
    languages: tuple[str, ...]
    files: int
    bytes: int
    seconds: float

    def line(self, site: Path) -> str:
        return (f"{site / BUNDLE}: {self.pages:,} pages indexed ({', '.join(self.languages)}), "
                f"{self.files:,} files, {self.bytes / 1e6:.1f} MB in {self.seconds:.1f} s")


def build_index(site: Path) -> Summary:
    """Index the built site in ``site`` with Pagefind into ``site/pagefind``, replacing the
    index there. Raises :class:`CannotRun` when it cannot, leaving the old index in place."""
    started = time.perf_counter()
    site = Path(site).resolve()
    if not (site / "index.html").is_file():
        raise CannotRun(f"{site}: no index.html there (expected a built site: the folder "
                        "mkdocs, properdocs or zensical wrote)")
    if importlib.util.find_spec("pagefind") is None:
        raise CannotRun("Pagefind is not installed (pip install 'pagefind[bin]'; the site "
                        "build's dependencies include it)")
    with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.parent) as work:
        staged = Path(work) / BUNDLE
        # Run in an empty folder: Pagefind would read a pagefind.yml in the working directory.
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob",
                   _glob(site), "--output-path", str(staged)]
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False,
                              env=dict(os.environ,
                                       PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE=str(CHUNK_SIZE)))
        said = done.stdout + done.stderr
        if done.returncode != 0 or not (staged / "pagefind-entry.json").is_file():
            tail = " ".join(said.split()[-60:])
            raise CannotRun(f"{site}: Pagefind failed (exit {done.returncode}): {tail}")
        if NO_BODY in said:
            raise CannotRun(f"{site}: no page marks what to index (data-pagefind-body): was "
                            "the site built from this project's pages?")
        canonical(staged)
        entry = json.loads((staged / "pagefind-entry.json").read_text(encoding="utf-8"))
        prune(staged, entry)
        target = site / BUNDLE
        if target.exists():
            os.replace(target, Path(work) / "old")
        os.replace(staged, target)
    files = [p for p in target.rglob("*") if p.is_file()]
    languages = entry.get("languages", {})
    summary = Summary(pages=sum(lang["page_count"] for lang in languages.values()),
                      languages=tuple(sorted(languages)), files=len(files),
                      bytes=sum(p.stat().st_size for p in files),
                      seconds=time.perf_counter() - started)
    log.info(summary.line(site))
    return summary


def _glob(site: Path) -> str:
    """The pages of :data:`FOLDERS`, with directory URLs (``claims/x/index.html``) or without
    (``claims/x.html``, and the folder's own index, which marks nothing)."""
    folders = "{" + ",".join(FOLDERS) + "}"
    directories = any(any((site / f).glob("*/index.html")) for f in FOLDERS)
    return f"{folders}/*/index.html" if directories else f"{folders}/*.html"


# --- deterministic output ----------------------------------------------------------------------


def _full_hash(data: bytes) -> str:
    """Pagefind's file hash: SHA-1, each byte in hexadecimal without its leading zero."""
    return "".join(format(b, "x") for b in hashlib.sha1(data).digest())


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise CannotRun(f"{path}: not a Pagefind index file (expected it to start with "
                        f"{SIGNATURE.decode()})")
    return cbor2.loads(raw[len(SIGNATURE):])


def _write(path: Path, data: Any) -> bytes:
    body: bytes = cbor2.dumps(data)
    path.write_bytes(gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0))
    return body


def _short(language: str, body: bytes, taken: set[str], length: int) -> str:
    """A file's name as Pagefind makes it: the language, then the hash's first ``length``
    characters, longer while the name is taken."""
    full = f"{language}_{_full_hash(body)}"
    n = len(language) + 1 + length
    while full[:n] in taken and n < len(full):
        n += 1
    taken.add(full[:n])
    return full[:n]


def canonical(bundle: Path) -> None:
    """Sort each filter file's values and the page table's filters, and name the files by
    their new bytes (see the module's docstring). The page table (``pf_meta``) lists, in order:
    version, pages, word chunks, filters (name, file), sorts, metadata fields."""
    entry_file = bundle / "pagefind-entry.json"
    text = entry_file.read_text(encoding="utf-8")
    for language, info in json.loads(text)["languages"].items():
        meta_file = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_file)
        taken: set[str] = set()
        filters = []
        for name, old in sorted(meta[3]):
            old_file = bundle / "filter" / f"{old}.pf_filter"
            key, values = _read(old_file)
            body = cbor2.dumps([key, sorted(values)])
            new = _short(language, body, taken, 7)
            old_file.unlink()
            _write(bundle / "filter" / f"{new}.pf_filter", [key, sorted(values)])
            filters.append([name, new])
        meta[3] = filters
        body = cbor2.dumps(meta)
        new_meta = f"{language}_{_full_hash(body)[:len(language) + 8]}"
        meta_file.unlink()
        _write(bundle / f"pagefind.{new_meta}.pf_meta", meta)
        text = text.replace(f'"hash":"{info["hash"]}"', f'"hash":"{new_meta}"')
    entry_file.write_text(text, encoding="utf-8")


def prune(bundle: Path, entry: dict[str, Any]) -> None:
    """Remove what the site's search does not load (see the module's docstring)."""
    keep = set(KEPT) | {"index", "fragment", "filter"}
    for info in entry["languages"].values():
        keep |= {f"wasm.{info['wasm']}.pagefind", f"pagefind.{info['hash']}.pf_meta"}
    for path in bundle.iterdir():
        if path.name not in keep:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
