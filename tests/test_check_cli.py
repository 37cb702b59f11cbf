"""``python3 -m build_tools check`` as an editor and CI run it: exit codes, --strict, GitHub
annotations, and no traceback whatever the files hold."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BIB, CAPTURE, CLAIM, CLAIM_PATH, KB, NEVER_DUE, write_kb

REPO = Path(__file__).resolve().parents[1]
ORPHAN = "\n@article{orphan2020,\n  title  = {A study nobody uses},\n  design = {cohort},\n}\n"


def kb_check(cwd: Path, *args: str, github: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run([sys.executable, "-m", "build_tools", "check", *args], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert "internal error" not in r.stderr, r.stderr


def test_clean_knowledge_base_exits_0_and_prints_nothing_on_stdout(kb: KB) -> None:
    r = kb_check(Path.cwd())
    assert (r.returncode, r.stdout) == (0, "")
    assert r.stderr == "1 claims, 2 sources, 0 flagged: 0 errors, 0 warnings\n"
    no_traceback(r)


def test_problems_exit_1_with_one_line_each_and_a_summary(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "verdict: accurate", "verdict: maybe")
    r = kb_check(Path.cwd())
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        f"{CLAIM_PATH}:12:10: error: verdict: 'maybe' is not an allowed value (expected one "
        "of: accurate, mostly-accurate, overstated, unproven, inaccurate)",
        "1 claims, 2 sources, 0 flagged: 1 error, 0 warnings"]
    no_traceback(r)


def test_the_path_argument_prefixes_every_file(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "verdict: accurate", "verdict: maybe")
    r = kb_check(Path.cwd().parent, Path.cwd().name)
    assert r.returncode == 1
    assert r.stdout.startswith(f"{Path.cwd().name}/{CLAIM_PATH}:12:10: error: verdict: ")


@pytest.mark.parametrize("layout", ["empty", "sources-only", "claims-only", "missing"])
def test_exit_2_when_there_is_no_knowledge_base(tmp_path: Path, layout: str) -> None:
    if layout == "sources-only":
        (tmp_path / "sources").mkdir()
    if layout == "claims-only":
        (tmp_path / "claims").mkdir()
    target = "does-not-exist" if layout == "missing" else "."
    r = kb_check(tmp_path, target)
    assert r.returncode == 2
    missing = "sources" if layout == "claims-only" else "claims"
    where = "does-not-exist/claims" if layout == "missing" else missing
    assert f"error: {where}: no such directory (expected a knowledge base with claims/ and " \
           "sources/)" in r.stdout + r.stderr
    no_traceback(r)


def test_usage_error_exits_2(tmp_path: Path) -> None:
    r = kb_check(tmp_path, "--no-such-option")
    assert r.returncode == 2
    assert "usage:" in r.stderr
    no_traceback(r)


def test_strict_turns_warnings_into_errors(kb: KB) -> None:
    kb.write("sources/refs.bib", BIB + ORPHAN)
    warning = ("sources/refs.bib:17:1: {}: orphan2020: source is not used by any claim "
               "(expected it cited as an appearance, a citation or evidence, or removed)")

    r = kb_check(Path.cwd())
    assert r.returncode == 0
    assert r.stdout.splitlines() == [warning.format("warning"),
                                     "1 claims, 3 sources, 0 flagged: 0 errors, 1 warning"]

    r = kb_check(Path.cwd(), "--strict")
    assert r.returncode == 1
    assert r.stdout.splitlines() == [warning.format("error"),
                                     "1 claims, 3 sources, 0 flagged: 1 error, 0 warnings"]


def test_github_actions_gets_annotations_too(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "verdict: accurate", "verdict: maybe")
    kb.write("sources/refs.bib", BIB + ORPHAN)
    r = kb_check(Path.cwd(), github=True)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[:4] == [
        f"{CLAIM_PATH}:12:10: error: verdict: 'maybe' is not an allowed value (expected one "
        "of: accurate, mostly-accurate, overstated, unproven, inaccurate)",
        f"::error file={CLAIM_PATH},line=12,col=10::verdict: 'maybe' is not an allowed value "
        "(expected one of: accurate, mostly-accurate, overstated, unproven, inaccurate)",
        "sources/refs.bib:17:1: warning: orphan2020: source is not used by any claim (expected "
        "it cited as an appearance, a citation or evidence, or removed)",
        "::warning file=sources/refs.bib,line=17,col=1::orphan2020: source is not used by any "
        "claim (expected it cited as an appearance, a citation or evidence, or removed)",
    ]
    r = kb_check(Path.cwd(), "--strict", github=True)
    assert "::error file=sources/refs.bib,line=17,col=1::orphan2020: " in r.stdout
    assert "::warning" not in r.stdout


def test_no_annotations_outside_github_actions(kb: KB) -> None:
    kb.edit(CLAIM_PATH, "verdict: accurate", "verdict: maybe")
    assert "::error" not in kb_check(Path.cwd()).stdout


GARBAGE = {
    "binary": bytes(range(256)) * 8,
    "random": random.Random(1).randbytes(50_000),
    "two-megabytes": b"statement: " + b"x" * 2_000_000 + b"\n",
    "nul-bytes": b"\0" * 1000,
    "deeply-nested-flow": b"topics: " + b"[" * 200_000 + b"]" * 200_000 + b"\n",
    "deeply-nested-block": "".join(f"{'  ' * i}k{i}:\n" for i in range(900)).encode(),
    "alias-bomb": ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))).encode(),
    "recursive-alias": b"note: &x [*x]\n",
    "lone-surrogate-escape": b'statement: "\\ud800 is not a character"\n',
    "only-a-bom": b"\xef\xbb\xbf",
}


@pytest.mark.parametrize("name", list(GARBAGE))
def test_garbage_claim_file_is_reported_without_traceback(kb: KB, name: str) -> None:
    kb.write("claims/garbage.yml", GARBAGE[name])
    r = kb_check(Path.cwd())
    no_traceback(r)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert any(line.startswith("claims/garbage.yml:") and ": error: " in line for line in lines)
    assert not any(line.startswith(CLAIM_PATH) for line in lines), "the good claim is fine"


@pytest.mark.parametrize("name", ["binary", "random", "two-megabytes", "nul-bytes"])
def test_garbage_bibtex_and_capture_are_reported_without_traceback(kb: KB, name: str) -> None:
    kb.write("sources/garbage.bib", GARBAGE[name])
    kb.write("sources/captures/smith2018.txt", GARBAGE[name])
    r = kb_check(Path.cwd())
    no_traceback(r)
    assert r.returncode == 1
    assert "sources/garbage.bib:" in r.stdout


def test_unreadable_and_odd_entries_in_claims_do_not_stop_the_run(kb: KB) -> None:
    """Each is named, the good claim is still checked (and clean), and nothing else is said."""
    Path("claims/a-directory.yml").mkdir()
    Path("claims/README.md").write_text("Not a claim.\n", encoding="utf-8")
    Path("claims/dangling.yml").symlink_to("nowhere.yml")
    r = kb_check(Path.cwd())
    no_traceback(r)
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "claims/README.md:1:1: error: file is not read: claims/ holds only claim files, "
        "<id>.yml (expected it moved out of the folder, or renamed if it belongs here)",
        "claims/a-directory.yml:1:1: warning: empty folder is not read (claims/ holds only "
        "claim files, <id>.yml; expected it deleted)",
        "claims/dangling.yml:1:1: error: cannot read file: it is a symbolic link to "
        "'nowhere.yml', which does not exist (expected a file)",
        "2 claims, 2 sources, 1 flagged: 2 errors, 1 warning",
    ]


def test_many_claims_one_run(tmp_path: Path) -> None:
    """Forty claims, every fourth broken: all forty are checked and the ten reported."""
    claims = {f"claim-{i:02d}": CLAIM.replace("verdict: accurate", "verdict: maybe")
              if i % 4 == 0 else CLAIM for i in range(40)}
    write_kb(tmp_path, claims=claims, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    (tmp_path / "mkdocs.yml").write_text(NEVER_DUE, encoding="utf-8")
    r = kb_check(tmp_path)
    assert r.returncode == 1
    bad = [line.split(":")[0] for line in r.stdout.splitlines() if ": error: " in line]
    assert bad == [f"claims/claim-{i:02d}.yml" for i in range(0, 40, 4)]
    assert r.stdout.splitlines()[-1] == "40 claims, 2 sources, 0 flagged: 10 errors, 0 warnings"
