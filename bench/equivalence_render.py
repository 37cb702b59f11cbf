"""Does a change to build_tools keep every rendered page byte for byte? Compare with a copy.

    cp -r build_tools /tmp/before/                  # before the change
    ...                                             # change build_tools
    python3 bench/equivalence_render.py /tmp/before # after it: exit 0 when nothing differs

    python3 bench/equivalence_render.py --rev main  # or: against a commit (its own tests/ too)
    python3 bench/equivalence_render.py --rev main --cached  # this tree through its cache too

For the ``build_tools`` in this repository and for the one in the folder given (or the commit's,
checked out in a temporary worktree, whose ``tests/`` then supplies the golden settings, so a
change that moves modules can be compared), each in its own process, it renders
(:func:`build_tools.render.render_site`) every knowledge base below, under three sets of
settings (the golden tests', directory URLs off with no site or repository address, and the
defaults), and compares every output file:

* the golden fixture (``tests/golden/kb``) with the golden tests' change history;
* the hostile one of ``tests/test_site_safety.py`` (every text field full of markup);
* the repository's own knowledge base, with its git history;
* ``bench/out/build-*/kb`` (``bench/bench_build.py``) and ``bench/out/mutants`` (the broken
  knowledge base of ``bench/equivalence.py``: whatever loads of it is rendered), when present.

With ``--cached``, this repository's ``build_tools`` also renders each of them through its
persistent cache (issue 18): once with the cache empty, then in a new loader and renderer over
the cache the first run left, every page rendered again from the pieces kept; each is compared
with the other tree's clean render.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

CHILD = r"""
import datetime as dt, hashlib, pickle, sys
from pathlib import Path
tree, repo, out, mode = sys.argv[1:5]
roots = sys.argv[5:]
sys.path[:0] = [tree, repo + "/tests"]  # tests/ by path: an installed package may be called tests
try:
    from build_tools.render.history import read_history
except ImportError:  # before the package moved into folders
    from build_tools.history import read_history
from build_tools.knowledge_base import load
from build_tools.render import SiteSettings, render_site
import test_render_golden as golden
SETTINGS = {
    "golden": golden.SETTINGS,
    "files": SiteSettings(site_name="Files <&> 'site'", directory_urls=False,
                          review_months=12, as_of=dt.date(2025, 6, 30)),
    "default": SiteSettings(as_of=dt.date(2025, 6, 30)),
}
results = {}
for root in roots:
    path = Path(root)
    history = golden.HISTORY if path.resolve().as_posix().endswith("/tests/golden/kb") \
        else read_history(path)
    if mode == "clean":
        kb = load(path, today=dt.date(2025, 6, 30))
        for name, settings in SETTINGS.items():
            results[f"{root} [{name}]"] = render_site(kb, settings, history)
        continue
    # through the persistent cache: cold (every piece made and kept), then warm (a new
    # process' loader and renderer, every page rendered again from the pieces kept)
    from build_tools.core.cache import Cache
    from build_tools.render.fragments import TABLE
    from build_tools.render.site import render_outputs
    folder = Path(out + ".cache") / hashlib.sha1(root.encode()).hexdigest()
    for attempt in ("cold", "warm"):
        cache = Cache(folder)
        kb = load(path, today=dt.date(2025, 6, 30), cache=cache)
        for name, settings in SETTINGS.items():
            done = render_outputs(kb, settings, history, fragments=cache.table(TABLE))
            results[f"{root} [{name}, {attempt} cache]"] = done.texts
        cache.save()
assert "build_tools" in sys.modules and sys.modules["build_tools"].__file__.startswith(tree), \
    sys.modules["build_tools"].__file__
with open(out, "wb") as f:
    pickle.dump(results, f)
"""


def _roots(hostile: Path) -> list[str]:
    roots = [REPO / "tests" / "golden" / "kb", hostile, REPO]
    roots += sorted(p / "kb" for p in (HERE / "out").glob("build-*") if (p / "kb").is_dir())
    if (HERE / "out" / "mutants").is_dir():
        roots.append(HERE / "out" / "mutants")
    return [str(r) for r in roots]


def render_with(tree: Path, roots: list[str], work: Path, repo: Path = REPO,
                mode: str = "clean") -> dict[str, dict[str, str]]:
    out = work / (hashlib.sha1(f"{tree} {mode}".encode()).hexdigest() + ".pickle")
    subprocess.run([sys.executable, "-c", CHILD, str(tree), str(repo), str(out), mode, *roots],
                   check=True, cwd=repo)
    with out.open("rb") as f:
        return pickle.load(f)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("before", type=Path, nargs="?",
                   help="folder holding the build_tools to compare with")
    p.add_argument("--rev", help="a commit to compare with instead (checked out in a temporary "
                                 "worktree)")
    p.add_argument("--cached", action="store_true",
                   help="render this repository's pages through the persistent cache too, cold "
                        "and warm, and compare each with the clean render given")
    args = p.parse_args(argv)
    if (args.before is None) == (args.rev is None):
        p.error("give a folder or --rev")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sys.path[:0] = [str(REPO), str(REPO / "tests")]  # not `tests.`: textstat installs one
        from test_site_safety import write_kb
        hostile = write_kb(work / "hostile")
        roots = _roots(hostile)
        if args.rev:
            old = work / "before"
            subprocess.run(["git", "worktree", "add", "--detach", str(old), args.rev],
                           check=True, cwd=REPO, capture_output=True)
            try:
                before = render_with(old, roots, work, repo=old)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=REPO,
                               check=False, capture_output=True)
        else:
            before = render_with(args.before.resolve(), roots, work)
        after = render_with(REPO, roots, work)
        if args.cached:
            for run, texts in render_with(REPO, roots, work, mode="cached").items():
                root, _, how = run.rpartition(" [")
                name, _attempt = how.rstrip("]").split(", ", 1)
                before[run] = before.get(f"{root} [{name}]", {})
                after[run] = texts
    differ = 0
    for run in sorted(before.keys() | after.keys()):
        a, b = before.get(run, {}), after.get(run, {})
        paths = sorted(a.keys() | b.keys())
        changed = [path for path in paths if a.get(path) != b.get(path)]
        print(f"{run}: {len(paths):,} files, {len(changed):,} differ")
        for path in changed[:5]:
            print(f"  {path}")
        differ += len(changed)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
