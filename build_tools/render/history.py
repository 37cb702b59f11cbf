"""The corrections log: every change of a claim's verdict, certainty or statement, from git.

Read once per build with two long-lived git processes, whatever the number of claims: one
``git log --raw`` over ``claims/`` lists every commit that changed a claim file with the old and
new blob of each file, and one ``git cat-file --batch`` hands over those blobs, which are parsed
once each (and kept, by blob id, for the next build in the same process). Nothing depends on the
clock: the same commit gives the same history. Outside a git checkout, in a shallow clone, or
without git, :func:`read_history` returns an unavailable history and the pages leave it out.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_tools.core import vocabulary as v
from build_tools.core.cache import MISSING, Table
from build_tools.core.digest import digest

log = logging.getLogger(__name__)

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

FIELDS = ("verdict", "certainty", "statement")
"""What a correction is a change of, in the order a commit's changes are listed."""

CLAIMS = "claims"


@dataclass(frozen=True)
class Change:
    """One change of one field of one claim, made by one commit."""

    claim_id: str
    field: str
    old: str
    new: str
    when: dt.datetime
    """The commit's date (committer date, with its time zone)."""
    subject: str
    commit: str

    @property
    def label(self) -> str:
        return {"verdict": "Verdict", "certainty": "Certainty",
                "statement": "Statement"}[self.field]

    def shown(self, value: str) -> str:
        """A value as a reader reads it: the verdict's or level's label, or the statement."""
        if self.field == "verdict":
            return v.VERDICTS[value].label
        if self.field == "certainty":
            term = v.CERTAINTY_LEVELS.get(value, v.NOT_APPLICABLE)
            return term.label
        return value

    @property
    def old_shown(self) -> str:
        return self.shown(self.old)

    @property
    def new_shown(self) -> str:
        return self.shown(self.new)


@dataclass
class History:
    """What git says about the claims: every change, newest first, and when each claim was
    first committed."""

    available: bool = False
    reason: str = ""
    """Why the history is unavailable (for the build log)."""
    changes: list[Change] = field(default_factory=list)
    added: dict[str, dt.datetime] = field(default_factory=dict)
    head: str = ""
    head_when: dt.datetime | None = None
    """When the checked-out commit was made: the site's 'as of' day when SOURCE_DATE_EPOCH is
    not set (see :func:`as_of`), and the corrections feed's date when nothing changed."""

    @property
    def head_date(self) -> dt.date | None:
        return self.head_when.date() if self.head_when else None

    def for_claim(self, claim_id: str) -> list[Change]:
        """The changes of one claim, newest first."""
        return self._by_claim.get(claim_id, [])

    @functools.cached_property
    def _by_claim(self) -> dict[str, list[Change]]:
        """:attr:`changes` by claim, grouped once: every claim page asks for its own, and
        scanning the whole list for each made rendering claims times changes. ``changes`` is
        complete when a history is made, and is not changed afterwards."""
        out: dict[str, list[Change]] = {}
        for change in self.changes:
            out.setdefault(change.claim_id, []).append(change)
        return out


def unavailable(reason: str) -> History:
    return History(available=False, reason=reason)


_Summary = dict[str, str]
_BLOBS: dict[str, _Summary] = {}
"""Each claim blob's fields, by blob id: a blob never changes, so a rebuild re-reads none."""
_HISTORIES: dict[tuple[str, str], History] = {}


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              encoding="utf-8", errors="replace", timeout=300, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("git %s: %s", args[0], exc)
        return None
    if done.returncode != 0:
        log.debug("git %s: %s", args[0], done.stderr.strip())
        return None
    return done.stdout


TABLE = "history"
"""The cache table that keeps a history between runs, by the checkout and its commit."""


def read_history(root: Path | str, kept: Table | None = None) -> History:
    """The history of ``<root>/claims/`` in the git checkout that holds it; with ``kept`` (a
    cache table), read from git only when no run has read it for this commit (the history is
    what the commits up to it say, so the commit names it)."""
    root = Path(root).resolve()
    head = _git(root, "log", "-1", "--format=%H%x1f%cI")
    if head is None or "\x1f" not in head:
        return unavailable("not a git checkout with commits (or git is missing)")
    if (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true":
        return unavailable("a shallow clone: the history is incomplete (fetch it whole, e.g. "
                           "actions/checkout with fetch-depth: 0)")
    sha, date = head.strip().split("\x1f")
    key = (str(root), sha)
    if key not in _HISTORIES:
        _HISTORIES.clear()  # one history per process is enough: HEAD moved
        memo = digest("history", *key)
        history = kept.get(memo) if kept is not None else MISSING
        if history is MISSING:
            history = _read(root)
            history.head = sha
            history.head_when = dt.datetime.fromisoformat(date)
            if kept is not None and history.available:
                kept.put(memo, history)
        _HISTORIES[key] = history
    return _HISTORIES[key]


@dataclass
class _Commit:
    sha: str
    when: dt.datetime
    subject: str
    files: list[tuple[str, str, str, str, str]]
    """(status, old blob, new blob, old path, new path) for each claim file it changed."""


def _read(root: Path) -> History:
    out = _git(root, "log", "--no-merges", "--full-history", "-M", "--raw", "--no-abbrev",
               "--relative", "--no-color", "--format=%x1e%H%x1f%cI%x1f%s", "--", f"{CLAIMS}/")
    if out is None:
        return unavailable("git log failed")
    commits = _parse_log(out)
    blobs = {b for c in commits for f in c.files for b in f[1:3] if set(b) != {"0"}}
    missing = sorted(b for b in blobs if b not in _BLOBS)
    if missing and not _read_blobs(root, missing):
        return unavailable("git cat-file failed")
    history = History(available=True)
    renamed: dict[str, str] = {}  # an old claim id -> its id today (commits come newest first)
    for commit in commits:
        for status, old_blob, new_blob, old_path, new_path in commit.files:
            new_id = _claim_id(new_path)
            if new_id is None:
                continue
            current = renamed.get(new_id, new_id)
            if status.startswith("R"):
                old_id = _claim_id(old_path)
                if old_id is not None:
                    renamed[old_id] = current
            if status[:1] in ("A", "R"):
                history.added[current] = commit.when  # the oldest commit is seen last
            if status.startswith("D") or status.startswith("A"):
                continue
            before, after = _BLOBS.get(old_blob, {}), _BLOBS.get(new_blob, {})
            for name in FIELDS:
                old, new = before.get(name), after.get(name)
                if old and new and old != new:
                    history.changes.append(Change(current, name, old, new, commit.when,
                                                  commit.subject, commit.sha))
    return history


def _claim_id(path: str) -> str | None:
    folder, _, name = path.partition("/")
    if folder != CLAIMS or "/" in name or not name.endswith(".yml"):
        return None
    return name[:-4]


def _parse_log(text: str) -> list[_Commit]:
    commits = []
    for record in text.split("\x1e"):
        if not record.strip():
            continue
        header, _, body = record.partition("\n")
        sha, when, subject = header.split("\x1f", 2)
        files = []
        for line in body.splitlines():
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            parts = meta.split()
            if len(parts) < 5 or not paths:
                continue
            old_path = paths[0]
            new_path = paths[-1]
            files.append((parts[4], parts[2], parts[3], old_path, new_path))
        if files:
            commits.append(_Commit(sha, dt.datetime.fromisoformat(when), subject, files))
    return commits


def _read_blobs(root: Path, blobs: list[str]) -> bool:
    """Parse ``blobs`` through one ``git cat-file --batch`` into :data:`_BLOBS`."""
    try:
        done = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"],
                              input=("\n".join(blobs) + "\n").encode(), capture_output=True,
                              timeout=300, check=False, env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("git cat-file: %s", exc)
        return False
    if done.returncode != 0:
        return False
    data, at = done.stdout, 0
    for blob in blobs:
        end = data.index(b"\n", at)
        header = data[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            _BLOBS[blob] = {}
            continue
        size = int(header[2])
        _BLOBS[blob] = _summary(data[at:at + size])
        at += size + 1
    return True


def _summary(raw: bytes) -> _Summary:
    """A claim version's verdict, certainty level and statement; a value that is not yet a
    valid one (``TODO``, a misspelling, a file that does not parse) is left out, so that filling
    in a draft is not listed as a correction."""
    try:
        doc = yaml.load(raw.decode("utf-8"), Loader=_Loader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return {}
    if not isinstance(doc, dict):
        return {}
    out: _Summary = {}
    verdict = doc.get("verdict")
    if isinstance(verdict, str) and verdict in v.VERDICTS:
        out["verdict"] = verdict
    certainty = doc.get("certainty")
    level = certainty.get("level") if isinstance(certainty, dict) else certainty
    if isinstance(level, str) and (level in v.CERTAINTY_LEVELS
                                   or level == v.NOT_APPLICABLE.value):
        out["certainty"] = level
    statement = doc.get("statement")
    if isinstance(statement, str) and statement.strip() and statement.strip() != "TODO":
        out["statement"] = " ".join(statement.split())
    return out


def as_of(history: History | None) -> dt.date:
    """The day the site is built 'as of': ``SOURCE_DATE_EPOCH`` when set, else the checked-out
    commit's date, else today. Overdue reviews are judged on this day, so the same commit
    builds the same pages."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    if history is not None and history.head_date is not None:
        return history.head_date
    return dt.date.today()
