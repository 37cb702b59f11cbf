"""``python -m build_tools render --out DIR`` as a user runs it: the docs tree is byte for byte
what the plugin adds to a MkDocs build, stale files go, a broken knowledge base leaves the
folder as it was, and folders that render did not write are never replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLAIM, CLAIM_PATH, KB

REPO = Path(__file__).resolve().parents[1]
SITE_URL = "https://example.org/walking/"

SITE_CONFIG = """\
site_name: A test site
use_directory_urls: true
theme:
  name: material
plugins:
  - search
  - evidence:
      root: .
      review_months: 1200   # the fixture's 2024 review never falls due (as conftest.NEVER_DUE)
"""


def run(cwd: Path, *args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``python -m build_tools ARGS`` in ``cwd``, this checkout's code."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | extra_env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([sys.executable, "-m", "build_tools", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root``: its bytes and inode (a rewrite makes a new inode)."""
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_ino)
            for p in sorted(root.rglob("*")) if p.is_file()}


def no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stdout + r.stderr, r.stderr


@pytest.fixture
def site(kb: KB) -> KB:
    """The conftest knowledge base with a mkdocs.yml and a hand-written page beside it."""
    kb.write("mkdocs.yml", SITE_CONFIG)
    kb.write("docs/about.md", "# About\n")
    kb.write("docs/.hidden", "not part of the site\n")
    return kb


# --- byte for byte what the plugin adds -------------------------------------------------------

DUMP_BUILD = r"""
import sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin, event_priority

out = Path(sys.argv[2])

class Dump(BasePlugin):
    @event_priority(-100)  # after every other plugin's on_files: what MkDocs will build
    def on_files(self, files, config):
        docs = Path(config.docs_dir)
        for f in files:
            if f.generated_by is None and not Path(f.abs_src_path).is_relative_to(docs):
                continue  # the theme's own files
            target = out / f.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.content_bytes)
        return files

config = load_config(sys.argv[1], site_dir=sys.argv[3], strict=True)
config.plugins["dump"] = Dump()
build(config)
"""


@pytest.mark.slow
def test_render_writes_byte_for_byte_what_the_plugin_adds(tmp_path: Path) -> None:
    """A real ``mkdocs build --strict`` of the repository with the plugin, its files collection
    dumped after every plugin ran, against ``render --out`` of the same repository; both with
    the published address set (SITE_URL, which mkdocs.yml reads), as CI builds the site."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL,
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                        os.environ.get("PYTHONPATH")])))
    built = subprocess.run([sys.executable, "-c", DUMP_BUILD, str(REPO / "mkdocs.yml"),
                            str(tmp_path / "plugin"), str(tmp_path / "site")], cwd=REPO,
                           env=env, capture_output=True, text=True, timeout=900, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    rendered = run(REPO, "render", "--out", str(tmp_path / "rendered"), SITE_URL=SITE_URL)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert rendered.stdout == ""  # a clean knowledge base: nothing to report

    plugin = {k: v for k, (v, _) in snapshot(tmp_path / "plugin").items()}
    tree = {k: v for k, (v, _) in snapshot(tmp_path / "rendered").items()}
    claims = sorted(p.stem for p in (REPO / "claims").glob("*.yml"))
    assert {f"claims/{c}.md" for c in claims} <= set(tree)
    assert {"data/claims.json", "data/claims.csv", "data/references.bib", "about.md",
            "index.md", "methodology.md"} <= set(tree)
    assert sorted(tree) == sorted(plugin), (sorted(set(tree) ^ set(plugin))[:20])
    assert f'"url": "{SITE_URL}claims/{claims[0]}/"'.encode() in tree[f"claims/{claims[0]}.md"]
    differ = [k for k in tree if tree[k] != plugin[k]]
    assert not differ, f"{len(differ)} files differ from the plugin's, e.g. {differ[:10]}"


# --- the folder -------------------------------------------------------------------------------


def test_render_writes_the_tree_and_rewrites_only_what_changed(site: KB) -> None:
    cwd = Path.cwd()
    first = run(cwd, "render", "--out", "out")
    assert first.returncode == 0, first.stdout + first.stderr
    no_traceback(first)
    before = snapshot(cwd / "out")
    assert {"about.md", "index.md", "claims/index.md", "claims/walking-cures.md",
            "sources/smith2018/index.md", "articles/shop2024/index.md",
            "data/claims.json"} <= set(before)
    assert ".hidden" not in before  # as MkDocs: dot files are not part of the docs
    assert "out: " in first.stderr and "0 removed" in first.stderr

    site.edit(CLAIM_PATH, "One randomised trial", "A single randomised trial")
    again = run(cwd, "render", "--out", "out")
    assert again.returncode == 0, again.stdout + again.stderr
    after = snapshot(cwd / "out")
    assert sorted(after) == sorted(before)
    changed = {k for k in after if after[k][0] != before[k][0]}
    assert "claims/walking-cures.md" in changed and "data/claims.json" in changed
    assert "sources/smith2018/index.md" not in changed
    kept = {k for k in after if after[k][1] == before[k][1]}
    assert kept == set(after) - changed, "an unchanged file was rewritten (or a changed one not)"
    assert not (cwd / "out.new").exists() and not (cwd / "out.old").exists()


def test_files_no_longer_generated_are_removed(site: KB) -> None:
    cwd = Path.cwd()
    second = CLAIM.replace("cures low back pain", "helps low back pain")
    site.write("claims/walking-helps.yml", second)
    assert run(cwd, "render", "--out", "out").returncode == 0
    assert (cwd / "out" / "claims" / "walking-helps.md").is_file()
    site.write("docs/extra.md", "# Extra\n")
    assert run(cwd, "render", "--out", "out").returncode == 0
    assert (cwd / "out" / "extra.md").is_file()

    site.remove("claims/walking-helps.yml")
    site.remove("docs/extra.md")
    r = run(cwd, "render", "--out", "out")
    assert r.returncode == 0, r.stdout + r.stderr
    assert not (cwd / "out" / "claims" / "walking-helps.md").exists()
    assert not (cwd / "out" / "extra.md").exists()
    assert "2 removed" in r.stderr


def test_a_broken_knowledge_base_fails_with_the_checkers_messages_and_leaves_the_folder(
        site: KB) -> None:
    cwd = Path.cwd()
    assert run(cwd, "render", "--out", "out").returncode == 0
    before = snapshot(cwd / "out")
    site.edit(CLAIM_PATH, "verdict: accurate", "verdict: maybe")
    r = run(cwd, "render", "--out", "out")
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"{CLAIM_PATH}:12:10: error: verdict: 'maybe' is not an allowed value (expected one "
        "of: accurate, mostly-accurate, overstated, unproven, inaccurate)",
        "1 claims, 2 sources, 0 flagged: 1 error, 0 warnings",
        "error: nothing written to out: the knowledge base has problems"]
    no_traceback(r)
    assert snapshot(cwd / "out") == before
    assert not (cwd / "out.new").exists() and not (cwd / "out.old").exists()


def test_warnings_are_printed_and_fail_only_under_strict(site: KB) -> None:
    cwd = Path.cwd()
    site.write("sources/more.bib", "@article{orphan2020,\n  title  = {Nobody uses it},\n"
                                   "  design = {cohort},\n}\n")
    r = run(cwd, "render", "--out", "out")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith("sources/more.bib:1:1: warning: orphan2020: source is not used")
    strict = run(cwd, "render", "--out", "out2", "--strict")
    assert strict.returncode == 1
    assert "sources/more.bib:1:1: error: orphan2020" in strict.stdout
    assert not (cwd / "out2").exists()


def test_a_hand_written_page_may_not_hide_a_generated_one(site: KB) -> None:
    site.write("docs/methodology.md", "# Mine\n")
    r = run(Path.cwd(), "render", "--out", "out")
    assert r.returncode == 1
    assert r.stdout == ("error: docs/methodology.md would hide the generated page of the same "
                        "name (expected hand-written pages to use other names)\n")
    assert not (Path.cwd() / "out").exists()


@pytest.mark.parametrize(("out", "why"), [
    (".", "it holds the site's configuration (.)"),
    ("docs", "it holds the docs folder (docs)"),
    ("docs/rendered", "it is inside the docs folder (docs)"),
    ("mkdocs.yml", "it is a file"),
    ("mine", "it is not empty and has no data/claims.json"),
])
def test_render_never_replaces_a_folder_it_did_not_write(site: KB, out: str, why: str) -> None:
    cwd = Path.cwd()
    site.write("mine/notes.txt", "my own notes\n")
    before = snapshot(cwd)
    r = run(cwd, "render", "--out", out)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stdout.startswith(f"error: {out}: will not replace this folder: {why}"), r.stdout
    assert len(r.stdout.splitlines()) == 1
    no_traceback(r)
    assert snapshot(cwd) == before


@pytest.mark.parametrize(("config", "message"), [
    (None, "error: mkdocs.yml: no such file (expected the site's configuration, mkdocs.yml)"),
    ("site_name: [unclosed\n", "error: mkdocs.yml:2:1: not valid YAML: "),
    ("site_name: x\nplugins: [search]\n",
     "error: mkdocs.yml: the 'evidence' plugin is not listed under plugins"),
    ("site_name: x\nplugins:\n  - evidence:\n      review_months: 0\n",
     "error: mkdocs.yml: plugins.evidence.review_months: '0' is not a number of months "
     "(expected a whole number above 0, e.g. 24)"),
    ("site_name: x\nplugins:\n  - evidence:\n      page_size: 0\n",
     "error: mkdocs.yml: plugins.evidence.page_size: '0' is not a number of items "
     "(expected a whole number above 0, e.g. 250)"),
    ("site_name: x\nplugins:\n  - evidence:\n      page_size: many\n",
     "error: mkdocs.yml: plugins.evidence.page_size: 'many' is not a number of items "),
    ("site_name: x\ndocs_dir: pages\nplugins: [evidence]\n",
     "error: mkdocs.yml: docs_dir pages is not a folder (expected the hand-written pages)"),
])
def test_a_configuration_it_cannot_use_exits_2_with_one_line(kb: KB, config: str | None,
                                                             message: str) -> None:
    if config is None:
        kb.remove("mkdocs.yml")
    else:
        kb.write("mkdocs.yml", config)
    r = run(Path.cwd(), "render", "--out", "out")
    assert r.returncode == 2
    assert r.stdout.startswith(message), r.stdout
    assert len(r.stdout.splitlines()) == 1
    no_traceback(r)
    assert not (Path.cwd() / "out").exists()


def test_settings_come_from_the_configuration_and_what_it_inherits(site: KB) -> None:
    """``INHERIT`` and ``!ENV`` as MkDocs reads them: the page links and ClaimReview follow."""
    site.write("base.yml", "site_name: Inherited name\nsite_url: !ENV [KB_TEST_URL, "
                           "'https://example.org/kb/']\nuse_directory_urls: false\n")
    site.write("mkdocs.yml", "INHERIT: base.yml\ntheme: {name: material}\n"
                             "plugins:\n  - evidence:\n      review_months: 1200\n")
    r = run(Path.cwd(), "render", "--out", "out")
    assert r.returncode == 0, r.stdout + r.stderr
    page = site.read("out/claims/walking-cures.md")
    assert '"url": "https://example.org/kb/claims/walking-cures.html"' in page
    assert '"name": "Inherited name"' in page
    assert "](../sources/smith2018/index.md)" in page  # links name the source file, whatever
    # the URLs; a raw HTML link in a list of claims is the final URL of this URL style
    source = site.read("out/sources/smith2018/index.md")
    assert '<a href="../../claims/walking-cures.html">' in source
