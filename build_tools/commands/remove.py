"""``remove article KEY`` and ``remove source KEY``: undo an ``add``, when nothing relies on it.

``remove article`` deletes the article's capture (``sources/captures/KEY.txt``), its set-aside
file (``KEY.yml``) and its entry; ``remove source`` deletes a study's entry. Either refuses,
naming each use at its line, while a claim quotes, cites or lists the key as evidence, a
set-aside file names it as a printed reference, or another entry cross-references it. The
entry's text is cut from its ``.bib`` file and nothing else there changes; all files change
together or none does.

Exit codes: 0 removed, 1 refused, 2 cannot run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

import yaml

from build_tools.core.problems import CannotRun, IntakeError, did_you_mean
from build_tools.intake.files import write_all
from build_tools.intake.library import Library, Located
from build_tools.knowledge_base import load
from build_tools.model.knowledge_base import CAPTURES_DIR, SOURCES_DIR

EXIT_OK, EXIT_REFUSED, EXIT_CANNOT_RUN = 0, 1, 2


class StillUsed(IntakeError):
    """The key is used: each use as ``(path, line, column, how)``."""

    def __init__(self, message: str, found: list[Use]) -> None:
        super().__init__(message)
        self.found = found


Use = tuple[str, int, int, str]
"""Where a key is used: path, line, column, and how (``cites``)."""


def uses(root: Path, key: str) -> list[Use]:
    """Every place that relies on ``key``."""
    kb = load(root)
    out: list[Use] = []
    for c in kb.claims:
        for i, a in enumerate(c.appearances):
            if a.source == key:
                out.append((c.path, *c.pos(f"appearances[{i}].source"), "quotes"))
            if key in a.cites:
                out.append((c.path, *c.pos(f"appearances[{i}].cites"), "cites"))
        for i, e in enumerate(c.evidence):
            if e.source == key:
                out.append((c.path, *c.pos(f"evidence[{i}].source"), "lists as evidence"))
    for path in sorted((root / CAPTURES_DIR).glob("*.yml")):
        if path.stem == key:
            continue
        try:
            node = yaml.compose(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        for item in _set_aside_items(node):
            for k, value in item.value:
                if k.value == "source" and getattr(value, "value", None) == key:
                    out.append((f"{CAPTURES_DIR}/{path.name}", value.start_mark.line + 1,
                                value.start_mark.column + 1, "names as a printed reference"))
    for s in kb.sources.values():
        if s.key != key and s.fields.get("crossref", "").casefold() == key.casefold():
            out.append((s.path, s.field_lines["crossref"], 1, "cross-references"))
    return out


def _set_aside_items(node: yaml.Node | None) -> list[yaml.MappingNode]:
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, value in node.value:
        if k.value == "set_aside" and isinstance(value, yaml.SequenceNode):
            return [i for i in value.value if isinstance(i, yaml.MappingNode)]
    return []


def without_entry(text: str, found: Located) -> str:
    """``text`` (the entry's ``.bib`` file) with the entry cut out, and the blank line that
    separated it from the one before."""
    start = sum(len(line) for line in text.splitlines(keepends=True)[:found.line - 1])
    raw = found.entry.raw or ""
    at = text.find(raw, start) if raw else -1
    if at < 0:
        raise IntakeError(f"cannot find the text of {found.where()} to cut it out (expected "
                          "the file as the checker reads it; remove it by hand)")
    before, after = text[:at], text[at + len(raw):]
    after = after[1:] if after.startswith("\n") else after
    if not before.strip():
        after = after.lstrip("\n")
    elif before.endswith("\n\n"):
        before = before[:-1]
    return before + after


def remove(root: Path, key: str, article: bool) -> list[str]:
    """Remove the article or source ``key``; the lines to print."""
    library = Library.read(root)
    found = library.by_key(key)
    kind = "article" if article else "source"
    if found is None or found.key != key:
        raise IntakeError(f"no {kind} '{key}' in {SOURCES_DIR}/" + (
            f" (did you mean '{found.key}'?)" if found else
            did_you_mean(key, library.keys()) or " (expected the key of an entry in "
                                                  f"{SOURCES_DIR}/*.bib)"))
    capture = root / CAPTURES_DIR / f"{key}.txt"
    set_aside = root / CAPTURES_DIR / f"{key}.yml"
    field = found.entry.fields_dict.get("design")
    design = str(field.value).strip("{} \"") if field is not None else ""
    if article and design != "web-article" and not capture.exists():
        raise IntakeError(f"{found.where()} is a {design or 'source'}, not an article (expected "
                          f"`remove source {key}`)")
    if not article and (capture.exists() or design == "web-article"):
        raise IntakeError(f"{found.where()} is an article (expected `remove article {key}`, "
                          "which removes its capture too)")
    used = uses(root, key)
    if used:
        raise StillUsed(f"{found.where()} is still used in {len(used)} place"
                        f"{'s' * (len(used) != 1)}, so nothing was removed (expected no claim "
                        "or file relying on it: change those listed above first)", used)
    rest = without_entry(found.path.read_text(encoding="utf-8"), found)
    gone = [p for p in (capture, set_aside) if article and p.exists()]
    rel = f"{SOURCES_DIR}/{found.path.name}"
    said = [f"removed @{found.entry.entry_type}{{{key}}} from {rel}"]
    said += [f"deleted {CAPTURES_DIR}/{p.name}" for p in gone]
    if rest.strip():
        _replace_and_delete({found.path: rest}, gone)
    else:  # the file held this entry alone (`add` created it): it goes too
        _replace_and_delete({}, [*gone, found.path])
        said.append(f"deleted {rel} (it held nothing else)")
    return said


def _replace_and_delete(texts: dict[Path, str], gone: list[Path]) -> None:
    """Write ``texts`` and delete ``gone``, all or nothing: each file to delete is first moved
    aside, and moved back if a write fails."""
    aside: list[tuple[Path, Path]] = []
    try:
        for path in gone:
            moved = path.with_name(f".{path.name}.removed")
            os.replace(path, moved)
            aside.append((moved, path))
        write_all(texts, new_ok=False)
    except BaseException:
        for moved, path in reversed(aside):
            os.replace(moved, path)
        raise
    for moved, _ in aside:
        moved.unlink(missing_ok=True)


def run_article(root: Path, key: str, out: TextIO | None = None,
                err: TextIO | None = None) -> int:
    return _run(root, key, True, out, err)


def run_source(root: Path, key: str, out: TextIO | None = None,
               err: TextIO | None = None) -> int:
    return _run(root, key, False, out, err)


def _run(root: Path, key: str, article: bool, out: TextIO | None, err: TextIO | None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        said = remove(root, key, article)
    except StillUsed as exc:
        for path, line, col, how in exc.found:
            print(f"{path}:{line}:{col}: error: {how} '{key}', which `remove` would delete "
                  "(expected this changed first)", file=err)
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    except IntakeError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_REFUSED
    except CannotRun as exc:
        print(f"error: {exc}; nothing was removed", file=err)
        return EXIT_CANNOT_RUN
    for text in said:
        print(text, file=out)
    return EXIT_OK
