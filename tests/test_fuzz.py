"""A property-based fuzz test of the loader over mutated real claim and BibTeX files.

Each example copies a small real knowledge base (``tests/golden/kb``) with a few more real
files (claims from ``claims/``, BibTeX from ``sources/`` and ``tests/fixtures/bibtex``), then
breaks it: bytes inserted, replaced or cut (line breaks YAML counts and editors do not, control
characters, bytes that are not UTF-8, braces, quotes, ``@``, ``#``, huge numbers), lines
duplicated, deleted or swapped, files truncated, renamed (``.yaml``, ``.BIB``), moved into
folders, or replaced by broken links, link loops, folders and pipes. Whatever the input:

* no exception escapes the load;
* every file under ``claims/`` and ``sources/`` is either read or named in a message;
* every message is one printable line of bounded length, at a line and column that exist in
  its file (or 1:1 for a file that cannot be read).

The examples a run tries come from the Hypothesis profile: ``default`` (100 examples, a few
seconds, in every test run) or ``nightly`` (``HYPOTHESIS_PROFILE=nightly``, 5,000 examples,
run by ``.github/workflows/fuzz.yml``; see tests/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.core.problems import MAX_MESSAGE, one_line
from build_tools.knowledge_base import Loader

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
GOLDEN = TESTS / "golden" / "kb"
CLAIMS = sorted(GOLDEN.glob("claims/*.yml")) + sorted(REPO.glob("claims/*.yml"))[:4]
BIBS = (sorted((TESTS / "fixtures" / "bibtex").glob("*.bib")) + sorted(GOLDEN.glob("sources/*.bib"))
        + sorted(REPO.glob("sources/*.bib"))[:3])

TOKENS = [b"\n", b"\r", b"\r\n", "\x85".encode(), "\u2028".encode(), "\u2029".encode(), b"\t",
          b"\x00", b"\x1b[2J", b"\xff", b"\xc3", b"\xe9", "é".encode(), "\U0001f600".encode(),
          b"{", b"}", b"{{", b'"', b"'", b"\\", b"@", b"@article{", b"@string{m = ", b"#", b" # ",
          b",", b"=", b"%", b"$", b"~", b"--", b"{\\\"u}", b"\\&", b" and ", b"others",
          b":", b": ", b"- ", b"-", b"[", b"]", b"?", b"|", b">", b"&a ", b"*a", b"!!python/name:x",
          b"---\n", b"...\n", b"0x" + b"f" * 60, b"1:" + b"59:" * 40 + b"1", b"9" * 400,
          b"  ", b"\n  - ", b"verdict: ", b"certainty:\n  level: low\n", b"design = {rct},",
          b"crossref = {x},", b"journal = undefinedmacro,"]

FILE_OPS = ["rename-yaml", "rename-upper", "rename-bare", "subfolder", "dangling-link",
            "link-loop", "folder", "pipe", "empty", "non-utf8-name"]


@st.composite
def byte_edit(draw: st.DrawFn, data: bytes) -> bytes:
    """One edit of a file's bytes."""
    pos = draw(st.integers(0, len(data)))
    op = draw(st.sampled_from(["insert", "replace", "cut", "truncate", "line-dup",
                               "line-drop", "line-swap", "blob"]))
    if op in ("insert", "replace"):
        token = draw(st.one_of(st.sampled_from(TOKENS), st.binary(min_size=1, max_size=8)))
        end = pos + (len(token) if op == "replace" else 0)
        return data[:pos] + token + data[end:]
    if op == "cut":
        return data[:pos] + data[pos + draw(st.integers(1, 40)):]
    if op == "truncate":
        return data[:pos]
    if op == "blob":
        return draw(st.binary(max_size=200))
    lines = data.split(b"\n")
    i, j = (draw(st.integers(0, len(lines) - 1)) for _ in range(2))
    if op == "line-dup":
        lines.insert(i, lines[i])
    elif op == "line-drop":
        del lines[i]
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def _file_op(path: Path, op: str) -> None:
    """Do to ``path`` what a careless file manager would."""
    if op == "rename-yaml":
        path.rename(path.with_suffix(".yaml"))
    elif op == "rename-upper":
        path.rename(path.with_suffix(path.suffix.upper()))
    elif op == "rename-bare":
        path.rename(path.with_suffix(""))
    elif op == "subfolder":
        (path.parent / "old").mkdir(exist_ok=True)
        path.rename(path.parent / "old" / path.name)
    elif op == "dangling-link":
        path.unlink()
        path.symlink_to("nowhere" + path.suffix)
    elif op == "link-loop":
        path.unlink()
        path.symlink_to(path.name)
    elif op == "folder":
        path.unlink()
        path.mkdir()
        (path / "inside.yml").write_bytes(b"statement: inside a folder\n")
    elif op == "pipe":
        path.unlink()
        os.mkfifo(path)
    elif op == "empty":
        path.write_bytes(b"")
    elif op == "non-utf8-name":
        path.rename(path.parent / os.fsdecode(b"caf\xe9" + path.suffix.encode()))


def _files(root: Path) -> list[Path]:
    """Every file, link and pipe under claims/ and sources/ (not folders)."""
    out = []
    for top in ("claims", "sources"):
        for folder, dirs, names in os.walk(root / top):
            here = Path(folder)
            out += [here / n for n in names]
            out += [here / d for d in dirs if (here / d).is_symlink()]
    return sorted(out)


def _line_count(path: Path) -> int | None:
    """How many lines an editor shows for ``path``, or None if it is not a regular file."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return max(1, data.count(b"\n") + (0 if data.endswith(b"\n") else 1))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.data_too_large])
@given(st.data())
def test_the_loader_survives_mutated_real_files(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(GOLDEN, root, dirs_exist_ok=True)
        claim = data.draw(st.sampled_from(CLAIMS), label="claim")
        bib = data.draw(st.sampled_from(BIBS), label="bib")
        shutil.copy(claim, root / "claims" / claim.name)
        shutil.copy(bib, root / "sources" / f"extra-{bib.name}")
        for _ in range(data.draw(st.integers(1, 4), label="edits")):
            target = data.draw(st.sampled_from(_files(root)), label="file")
            if target.is_symlink() or not target.is_file():
                continue
            if data.draw(st.integers(0, 2), label="kind") == 0:  # a third are file ops
                _file_op(target, data.draw(st.sampled_from(FILE_OPS), label="file op"))
            else:
                target.write_bytes(data.draw(byte_edit(target.read_bytes()), label="edit"))

        loader = Loader(root)
        kb = loader.load()  # 1. no exception escapes

        read = {loader._shown(p) for p in loader.reread}
        named = {p.path for p in kb.report.problems}
        for path in _files(root):  # 2. every file read or named (names shown escaped)
            rel = loader._shown(path)
            assert rel in read or one_line(rel) in named, f"{rel!r} is neither read nor named"

        for p in kb.report.problems:  # 3. one printable, bounded line at a real place
            line = p.format()
            assert line.isprintable() and len(line.splitlines()) == 1, line
            assert len(p.message) <= MAX_MESSAGE
            lines = _line_count(Path(p.path))
            if lines is not None:
                assert 1 <= p.line <= lines and p.col >= 1, (line, lines)


def test_a_scheduled_workflow_runs_the_long_profile() -> None:
    """The nightly job runs this file with the nightly profile (actionlint lints it in
    tests/test_workflows.py)."""
    import yaml
    from hypothesis import settings as hypothesis_settings

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "fuzz.yml").read_text(
        encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert on["schedule"] and "workflow_dispatch" in on
    job = workflow["jobs"]["fuzz"]
    assert job["env"]["HYPOTHESIS_PROFILE"] == "nightly"
    for fuzz_test in ("tests/test_fuzz.py", "tests/test_fuzz_intake.py"):
        assert any(fuzz_test in str(step.get("run", "")) for step in job["steps"]), fuzz_test
    assert hypothesis_settings.get_profile("nightly").max_examples == 5000
    assert workflow["permissions"] == {"contents": "read"}
