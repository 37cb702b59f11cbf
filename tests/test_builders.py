"""The site built by each builder the project supports, from the tree ``render --out`` writes.

``python -m build_tools render --out rendered/docs`` writes the docs tree; ``mkdocs.rendered.yml``
(which inherits mkdocs.yml) builds it with MkDocs + Material without the plugin, with ProperDocs
(the maintained MkDocs 1.x fork) and with Zensical. ProperDocs also runs the ``evidence`` plugin
itself from mkdocs.yml, unchanged. Each site must build with ``--strict`` and have every claim
page, every internal link resolving, one ClaimReview per claim page and the data downloads.

The rendered tree and each site are made once per module, in a copy of the two configuration
files under a temporary folder (Zensical writes its site and cache beside its configuration).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_site_build import (
    CLAIM_IDS,
    SITE_URL,
    SOURCE_DATE_EPOCH,
    Html,
    broken_links,
    search_fragments,
    snapshot,
)

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RENDERED_CONFIG = "mkdocs.rendered.yml"

BUILDS = {
    # name: (command after `python -m`, configuration, site folder or None for the configured)
    "mkdocs": (["mkdocs", "build", "--strict"], "rendered", "site-mkdocs"),
    "properdocs": (["properdocs", "build", "--strict"], "rendered", "site-properdocs"),
    "properdocs-plugin": (["properdocs", "build", "--strict"], "plugin",
                          "site-properdocs-plugin"),
    "zensical": (["zensical", "build", "--strict", "--clean"], "rendered", None),
}


def env() -> dict[str, str]:
    """As the Pages workflow builds: SITE_URL set (mkdocs.yml reads it), dates fixed."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
                SITE_URL=SITE_URL,
                PYTHONPATH=os.pathsep.join(filter(None, [str(REPO),
                                                         os.environ.get("PYTHONPATH")])))


def render(project: Path) -> subprocess.CompletedProcess[str]:
    """This repository's docs tree into ``project/rendered/docs``, where mkdocs.rendered.yml
    looks for it."""
    return subprocess.run([sys.executable, "-m", "build_tools", "render", "--out",
                           str(project / "rendered" / "docs")], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=600, check=False)


def project_with_configs(project: Path) -> Path:
    project.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", RENDERED_CONFIG):
        shutil.copy2(REPO / name, project / name)
    return project


def build(name: str, project: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run builder ``name``; its output and the site folder it wrote."""
    command, config, site_dir = BUILDS[name]
    if config == "plugin":  # the repository itself, the plugin rendering the pages
        cwd, args = REPO, ["-f", str(REPO / "mkdocs.yml")]
    else:
        cwd, args = project, ["-f", str(project / RENDERED_CONFIG)]
    site = out / site_dir if site_dir else project / "rendered" / "site"
    if site_dir:
        args += ["-d", str(site)]
    done = subprocess.run([sys.executable, "-m", *command, *args], cwd=cwd, env=env(),
                          capture_output=True, text=True, timeout=900, check=False)
    if done.returncode == 0 and config != "plugin":  # the plugin indexes its own build
        done = search_index(site)
    return done, site


def search_index(site: Path) -> subprocess.CompletedProcess[str]:
    """``python -m build_tools search-index SITE``: the site's search, after any builder."""
    return subprocess.run([sys.executable, "-m", "build_tools", "search-index", str(site)],
                          cwd=REPO, env=env(), capture_output=True, text=True, timeout=900,
                          check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with mkdocs.yml, mkdocs.rendered.yml and the rendered tree in rendered/docs."""
    project = project_with_configs(tmp_path_factory.mktemp("builders") / "project")
    done = render(project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project


@pytest.fixture(scope="module", params=list(BUILDS))
def site(request: pytest.FixtureRequest, project: Path) -> tuple[str, Path]:
    done, site = build(request.param, project, project.parent)
    assert done.returncode == 0, (f"{request.param} build --strict failed:\n"
                                  f"{done.stdout[-5000:]}{done.stderr[-5000:]}")
    return request.param, site


def pages(site: Path) -> dict[str, Html]:
    return {p.relative_to(site).as_posix(): Html(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


def test_every_claim_page_exists(site: tuple[str, Path]) -> None:
    name, root = site
    assert (root / "index.html").is_file(), name
    missing = [c for c in CLAIM_IDS if not (root / "claims" / c / "index.html").is_file()]
    assert not missing, f"{name}: {len(missing)} claim pages missing, e.g. {missing[:5]}"
    for top in ("claims", "sources", "articles", "methodology", "flags", "about"):
        assert (root / top / "index.html").is_file(), f"{name}: no {top}/"


def test_every_internal_link_resolves(site: tuple[str, Path]) -> None:
    name, root = site
    checked, broken = broken_links(root, pages(root))
    assert checked > 1000, f"{name}: only {checked} internal links found"
    assert not broken, f"{name}: {len(broken)} broken links:\n" + "\n".join(broken[:40])


def test_each_claim_page_has_one_claim_review(site: tuple[str, Path]) -> None:
    name, root = site
    for claim_id in CLAIM_IDS:
        html = Html((root / "claims" / claim_id / "index.html").read_text(encoding="utf-8"))
        blocks = [text for attrs, text in html.scripts
                  if attrs.get("type") == "application/ld+json"]
        assert len(blocks) == 1, f"{name}: {claim_id}: {len(blocks)} JSON-LD blocks"
        data = json.loads(blocks[0])
        assert data["@type"] == "ClaimReview" and data["itemReviewed"]["appearance"], claim_id


def test_data_files_are_present_and_whole(site: tuple[str, Path]) -> None:
    name, root = site
    data = json.loads((root / "data" / "claims.json").read_text(encoding="utf-8"))
    assert sorted(c["id"] for c in data["claims"]) == CLAIM_IDS, name
    csv_lines = (root / "data" / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_lines) > len(CLAIM_IDS), name
    assert (root / "data" / "references.bib").read_text(encoding="utf-8").count("\n@") >= 1


def test_the_search_index_covers_the_claim_pages(site: tuple[str, Path]) -> None:
    """The same search on every builder's site: Pagefind's index, with every claim page and
    its statement, bottom line and filters, and nothing of the theme's own search."""
    name, root = site
    indexed = search_fragments(root)
    missing = [c for c in CLAIM_IDS if f"claims/{c}/" not in indexed]
    assert not missing, f"{name}: claims missing from the search index: {missing[:5]}"
    kinds = {d["filters"]["type"][0] for d in indexed.values()}
    assert kinds == {"claim", "source", "article"}, (name, kinds)
    for url, data in indexed.items():
        assert url.split("/")[0] in ("claims", "sources", "articles"), (name, url)
        if url.startswith("claims/"):
            assert data["meta"]["bottom_line"] and data["filters"]["verdict"], (name, url)
    assert not (root / "search" / "search_index.json").exists(), name  # Material's search
    items = json.loads((root / "search.json").read_text(encoding="utf-8"))["items"] \
        if (root / "search.json").exists() else []
    assert not items, f"{name}: Zensical's own search indexed {len(items)} entries"


def test_the_search_index_is_the_same_on_every_builder(site: tuple[str, Path]) -> None:
    """Each builder's pages give the search the same pages, words and filters."""
    name, root = site
    out = root.parents[2] if name == "zensical" else root.parent  # where build() wrote it
    reference = out / BUILDS["mkdocs"][2]
    if name == "mkdocs" or not (reference / "pagefind").is_dir():
        pytest.skip("the MkDocs build is the reference (built first)")
    theirs, ours = search_fragments(reference), search_fragments(root)
    assert sorted(theirs) == sorted(ours), name
    differ = [u for u in ours if (ours[u]["content"], ours[u]["filters"], ours[u]["meta"])
              != (theirs[u]["content"], theirs[u]["filters"], theirs[u]["meta"])]
    assert not differ, f"{name}: {len(differ)} pages indexed otherwise than MkDocs', " \
                       f"e.g. {differ[:3]}"


# --- failing builds leave the old site: the plugin under ProperDocs as under MkDocs ----------


@pytest.mark.parametrize("builder", ["mkdocs", "properdocs"])
def test_a_strict_warning_fails_the_plugin_build_and_keeps_the_old_site(
        tmp_path: Path, builder: str) -> None:
    """A broken link in a hand-written page is a warning of the builder itself, not of the
    plugin: under --strict the build fails and the plugin does not swap in the staging site."""
    for name in ("mkdocs.yml",):
        shutil.copy2(REPO / name, tmp_path / name)
    for name in ("docs", "claims", "sources"):
        shutil.copytree(REPO / name, tmp_path / name)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("the old site\n", encoding="utf-8")
    before = snapshot(tmp_path / "site")
    with (tmp_path / "docs" / "about.md").open("a", encoding="utf-8") as f:
        f.write("\n[a page that does not exist](no-such-page.md)\n")
    done = subprocess.run([sys.executable, "-m", builder, "build", "--strict", "-f",
                           str(tmp_path / "mkdocs.yml")], cwd=tmp_path, env=env(),
                          capture_output=True, text=True, timeout=900, check=False)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "no-such-page.md" in output, output
    assert "evidence:" in output, "the plugin did not run"
    assert snapshot(tmp_path / "site") == before, "the failed build replaced the old site"
    assert not (tmp_path / "site.building").exists()


def test_the_rendered_configuration_only_says_what_differs() -> None:
    """mkdocs.yml stays the one configuration: the other file inherits it and sets the docs
    folder and the plugins (none, and the theme's search off); which pages stay out of the
    navigation is said once, in mkdocs.yml, for the plugin's pages and the rendered tree
    alike."""
    import yaml

    config = yaml.safe_load((REPO / RENDERED_CONFIG).read_text(encoding="utf-8"))
    assert config["INHERIT"] == "mkdocs.yml"
    assert set(config) == {"INHERIT", "docs_dir", "site_dir", "theme", "plugins"}
    assert config["theme"] == {"variant": "classic"}
    assert config["docs_dir"] == "rendered/docs" and config["site_dir"] == "rendered/site"
    assert config["plugins"] == [{"search": {"enabled": False}}]
