"""The persistent cache (:mod:`build_tools.core.cache`): kept between runs under content keys,
never trusted when it is damaged or foreign, safe with runs at once, off with ``--no-cache``."""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLAIM, CLAIM_PATH, KB, TODAY

from build_tools.commands import check
from build_tools.core import cache as cache_module
from build_tools.core.cache import FOLDER, MAGIC, MISSING, Cache
from build_tools.core.digest import DIGEST_SIZE, digest, file_digest
from build_tools.knowledge_base import Loader, load

NOTES: list[str] = []


def note(message: str) -> None:
    NOTES.append(message)


@pytest.fixture(autouse=True)
def _notes() -> None:
    NOTES.clear()


def key(n: int) -> bytes:
    return digest("key", n)


def test_values_are_kept_between_runs_and_unused_ones_swept(tmp_path: Path) -> None:
    first = Cache(tmp_path / "c", "tools-1", note)
    table = first.table("t")
    for n in range(200):
        table.put(key(n), {"n": n, "text": "x" * n})
    first.save()
    second = Cache(tmp_path / "c", "tools-1", note)
    assert [second.table("t").get(key(n))["n"] for n in range(100)] == list(range(100))
    second.save()  # only the first 100 were used: the rest is swept
    third = Cache(tmp_path / "c", "tools-1", note)
    assert third.table("t").get(key(50))["n"] == 50
    assert third.table("t").get(key(150)) is MISSING
    assert NOTES == []


def test_a_table_a_run_did_not_look_at_is_kept(tmp_path: Path) -> None:
    first = Cache(tmp_path / "c", "tools-1", note)
    first.table("a").put(key(1), "a")
    first.table("b").put(key(1), "b")
    first.save()
    second = Cache(tmp_path / "c", "tools-1", note)
    second.table("a").get(key(1))
    second.save()
    second.save()  # a second save in the same run sweeps nothing that run used
    assert Cache(tmp_path / "c", "tools-1", note).table("b").get(key(1)) == "b"
    assert Cache(tmp_path / "c", "tools-1", note).table("a").get(key(1)) == "a"


def bucket_file(folder: Path, k: bytes) -> Path:
    return folder / f"{k[0] % cache_module.BUCKETS:02d}.pack"


def _one_table(tmp_path: Path) -> Path:
    c = Cache(tmp_path / "c", "tools-1", note)
    c.table("t").put(key(1), "value")
    c.save()
    return bucket_file(tmp_path / "c" / "t", key(1))


@pytest.mark.parametrize("damage, why", [
    (lambda data: data[:-7], "its checksum does not match"),
    (lambda data: data[:20], "its header is damaged"),
    (lambda data: b"GARBAGE" + data, "not a cache file"),
    (lambda data: data[:-3] + bytes([data[-3] ^ 0xFF]) + data[-2:], "its checksum does not match"),
    (lambda data: b"", "not a cache file"),
])
def test_a_damaged_table_is_discarded_with_one_note(tmp_path: Path, damage, why) -> None:
    path = _one_table(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    c = Cache(tmp_path / "c", "tools-1", note)
    assert c.table("t").get(key(1)) is MISSING
    assert c.table("t").get(key(1)) is MISSING
    assert len(NOTES) == 1 and why in NOTES[0] and "discarded" in NOTES[0], NOTES
    c.table("t").put(key(1), "again")
    c.save()  # written again whole: the next run trusts it
    assert Cache(tmp_path / "c", "tools-1", note).table("t").get(key(1)) == "again"
    assert len(NOTES) == 1


def test_a_cache_of_another_version_of_the_tools_is_foreign(tmp_path: Path) -> None:
    _one_table(tmp_path)
    c = Cache(tmp_path / "c", "tools-2", note)
    assert c.table("t").get(key(1)) is MISSING
    assert c.table("u").get(key(1)) is MISSING
    assert [f"{os.path.relpath(tmp_path / 'c')}: made by another version of the tools; "
                     "discarded, computing afresh"] == NOTES


class Exploit:
    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, ("touch exploited",))


def test_a_value_naming_a_foreign_class_is_refused_not_run(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A table someone else wrote, with a valid checksum, cannot make the tools run code."""
    monkeypatch.chdir(tmp_path)
    payload = pickle.dumps({key(1): Exploit()})
    number = key(1)[0] % cache_module.BUCKETS
    header = b'{"bucket": %d, "format": 1, "table": "t", "tools": "tools-1"}' % number
    (tmp_path / "c" / "t").mkdir(parents=True)
    bucket_file(tmp_path / "c" / "t", key(1)).write_bytes(
        MAGIC + header + b"\n" + file_digest(payload) + payload)
    assert len(file_digest(payload)) == DIGEST_SIZE
    c = Cache(tmp_path / "c", "tools-1", note)
    assert c.table("t").get(key(1)) is MISSING
    assert not (tmp_path / "exploited").exists()
    assert len(NOTES) == 1 and "refused class posix.system" in NOTES[0], NOTES


WRITER = """
import sys
from pathlib import Path
from build_tools.core.cache import Cache
from build_tools.core.digest import digest
folder, n = Path(sys.argv[1]), int(sys.argv[2])
for i in range(30):
    c = Cache(folder, "tools-1", lambda m: None)
    t = c.table("t")
    for k in range(300):
        t.put(digest("key", k), (n, i, "x" * 200))
    c.save()
"""


def test_runs_at_once_never_leave_a_damaged_table(tmp_path: Path) -> None:
    """Two processes write the same table thirty times each while this one reads it: every
    read finds a whole table, one run's or the other's."""
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "c"), str(n)])
               for n in (1, 2)]
    while any(w.poll() is None for w in writers):
        c = Cache(tmp_path / "c", "tools-1", note)
        value = c.table("t").get(key(7))
        if value is not MISSING:
            assert value[0] in (1, 2)
    assert [w.wait() for w in writers] == [0, 0]
    assert NOTES == []
    final = Cache(tmp_path / "c", "tools-1", note).table("t")
    assert all(final.get(key(k)) is not MISSING for k in range(300))
    assert not [p for p in (tmp_path / "c" / "t").iterdir() if p.suffix == ".tmp"]


def test_a_cache_that_cannot_be_written_is_noted_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "c").write_text("a file where the folder should be", encoding="utf-8")
    c = Cache(tmp_path / "c", "tools-1", note)
    c.table("t").put(key(1), "v")
    c.save()  # no exception: a cache is never a reason to fail
    assert "not written (Not a directory); the next run computes it again" in NOTES[-1], NOTES


def test_digests_are_the_same_in_every_process() -> None:
    """Python's own hash of a string changes with each interpreter; a key must not."""
    code = ("from build_tools.core.digest import digest; import datetime as d; "
            "print(digest({'b', 'a', 'c'}, {'k': [1, 2.5, None, True]}, d.date(2024, 1, 2), "
            "frozenset({('x', b'y')})).hex())")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
           for seed in ("1", "2", "3")}
    assert len(out) == 1


@dataclasses.dataclass(frozen=True)
class _Point:
    x: int
    y: list[str]
    seen: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)


@dataclasses.dataclass(frozen=True)
class _OtherPoint:
    x: int
    y: list[str]


def test_a_dataclass_is_hashed_by_its_class_and_compared_fields_every_time() -> None:
    """The fields of a class are worked out on its first digest and reused: the second digest
    of a value, alone or inside a list, is the first one's."""
    a = _Point(1, ["a"], {"cache": 1})
    first = digest(a)
    assert digest(_Point(1, ["a"])) == first  # a field left out of comparison is left out
    assert digest(a) == first
    assert digest([a]) == digest([_Point(1, ["a"], {"other": 2})]) != first
    assert digest(_Point(2, ["a"])) != first
    assert digest(_Point(1, ["b"])) != first
    assert digest(_OtherPoint(1, ["a"])) != first  # the class is part of it


def test_digest_refuses_what_it_cannot_hash_by_content() -> None:
    with pytest.raises(TypeError, match="cannot hash a object by its content"):
        digest(object())


def test_a_load_from_the_disk_cache_reads_only_what_changed(kb: KB) -> None:
    first = Loader(kb.root, today=TODAY, cache=Cache.at(kb.root, note=note))
    cold = first.load()
    second = Loader(kb.root, today=TODAY, cache=Cache.at(kb.root, note=note))
    warm = second.load()
    assert second.reread == []
    assert [c.id for c in warm.claims] == [c.id for c in cold.claims]
    assert warm.report.problems == cold.report.problems
    kb.write(CLAIM_PATH, CLAIM.replace("verdict: accurate", "verdict: maybe"))
    third = Loader(kb.root, today=TODAY, cache=Cache.at(kb.root, note=note))
    edited = third.load()
    assert third.reread == [Path(CLAIM_PATH)]
    assert [p.format() for p in edited.report.sorted()] == \
        [p.format() for p in load(kb.root, today=TODAY).report.sorted()]
    assert NOTES == []


def test_check_keeps_its_cache_and_no_cache_touches_none(kb: KB) -> None:
    folder = kb.root / FOLDER
    out = io.StringIO()
    assert check.run(kb.root, out=out, github=False, no_cache=True) == 0
    assert not folder.exists()
    first = io.StringIO()
    assert check.run(kb.root, out=first, github=False) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["records", "stages"]
    again = io.StringIO()
    assert check.run(kb.root, out=again, github=False) == 0
    assert out.getvalue() == first.getvalue() == again.getvalue()


def test_check_notes_a_damaged_cache_on_one_line_and_checks_as_ever(kb: KB) -> None:
    assert check.run(kb.root, out=io.StringIO(), github=False) == 0
    damaged = sorted((kb.root / FOLDER / "records").glob("*.pack"))[0]
    damaged.write_bytes(b"not a cache")
    kb.write(CLAIM_PATH, CLAIM.replace("verdict: accurate", "verdict: maybe"))
    done = subprocess.run([sys.executable, "-m", "build_tools", "check", str(kb.root)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "'maybe' is not an allowed value" in done.stdout
    notes = [ln for ln in done.stderr.splitlines() if ln.startswith("note:")]
    assert notes == [f"note: .kb-cache/build/records/{damaged.name}: discarded, not a cache "
                     "file; computing afresh"], done.stderr


def test_the_history_is_read_from_git_once_per_commit(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from build_tools.render import history as h

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True,
                       env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
                            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"})

    git("init", "-q")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "a.yml").write_text("verdict: accurate\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "first")
    (tmp_path / "claims" / "a.yml").write_text("verdict: unproven\n", encoding="utf-8")
    git("commit", "-qam", "a: a second look")
    c = Cache(tmp_path / "c", "tools-1", note)
    first = h.read_history(tmp_path, c.table(h.TABLE))
    assert [ch.new for ch in first.changes] == ["unproven"]
    c.save()
    h._HISTORIES.clear()  # as in a new process

    def no_git_log(root: Path) -> h.History:
        raise AssertionError("read from git again")
    monkeypatch.setattr(h, "_read", no_git_log)
    again = h.read_history(tmp_path, Cache(tmp_path / "c", "tools-1", note).table(h.TABLE))
    assert again.changes == first.changes and again.head == first.head
    git("commit", "-q", "--allow-empty", "-m", "another commit")
    h._HISTORIES.clear()
    with pytest.raises(AssertionError, match="read from git again"):
        h.read_history(tmp_path, Cache(tmp_path / "c", "tools-1", note).table(h.TABLE))
