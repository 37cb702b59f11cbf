"""Stage 3, validate: YAML nodes to typed records, against the claim-file format.

Claim and set-aside files are validated as they are read (:meth:`build_tools.knowledge_base.
Loader`), each on its own; BibTeX entries are validated in :mod:`build_tools.bibtex.entries`
once every file's macros are known. A record with problems is still built, with the fields that
were valid, so the link stage can report its cross-file problems in the same run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from build_tools.core import vocabulary as v
from build_tools.core.problems import Problem
from build_tools.model.claim import Appearance, Certainty, Claim, Evidence
from build_tools.model.coverage import SetAside, SetAsideFile
from build_tools.rules import schema as s
from build_tools.rules.validator import INVALID, NodeValidator, ok
from build_tools.stages.s2_read import load_yaml


def validate_claim(claim_id: str, path: str, root: yaml.Node) -> tuple[Claim, list[Problem]]:
    """Check a claim file's root node and build its record (partial if there were problems)."""
    nv = NodeValidator(path)
    data = nv.check(s.CLAIM, root, "")
    claim = Claim(id=claim_id, path=path, positions=nv.positions)
    if not isinstance(data, dict):
        return claim, nv.problems
    if ok(data.get("statement")):
        claim.statement = data["statement"]
    if ok(data.get("bottom_line")):
        claim.bottom_line = data["bottom_line"]
    if ok(data.get("topics")):
        claim.topics = [t for t in data["topics"] if ok(t)]
    for name in v.PICO:
        if ok(data.get(name)):
            setattr(claim, name, [t for t in data[name] if ok(t)])
    if ok(data.get("appearances")):
        claim.appearances = [_appearance(a) for a in data["appearances"] if isinstance(a, dict)]
    if ok(data.get("evidence")):
        claim.evidence = [_evidence(e) for e in data["evidence"] if isinstance(e, dict)]
    if ok(data.get("verdict")):
        claim.verdict = data["verdict"]
    certainty = data.get("certainty")
    if isinstance(certainty, str):
        claim.certainty = Certainty(level=certainty)
    elif isinstance(certainty, dict) and ok(certainty.get("reason")):
        claim.certainty = Certainty(level=certainty["level"], reason=certainty["reason"])
    elif isinstance(certainty, dict) and ok(certainty.get("level")) and \
            certainty["level"] in s.CERTAINTY_LEVEL.terms:
        whole = not any(w == "certainty" or w.startswith("certainty.") for w in nv.invalid)
        claim.certainty = Certainty(  # no start, so no arithmetic, when a part was reported
            level=certainty["level"],
            start=certainty["start"] if whole and ok(certainty.get("start")) else None,
            downgrades=_scores(certainty.get("downgrades")),
            upgrades=_scores(certainty.get("upgrades")),
            reasons=_reasons(certainty.get("reasons")),
        )
    if ok(data.get("rationale")):
        claim.rationale = data["rationale"]
    if isinstance(data.get("reviewed"), dt.date):
        claim.reviewed = data["reviewed"]
    if ok(data.get("note")):
        claim.note = data["note"]
    return claim, nv.problems


def _text_or(value: Any, default: Any) -> Any:
    return value if ok(value) else default


def _appearance(a: dict[str, Any]) -> Appearance:
    cites = a.get("cites")
    return Appearance(source=_text_or(a.get("source"), ""),
                      quote=_text_or(a.get("quote"), ""),
                      cites=[c for c in cites if ok(c)] if isinstance(cites, list) else [],
                      promotional=a.get("promotional") is True,
                      note=_text_or(a.get("note"), None))


def _evidence(e: dict[str, Any]) -> Evidence:
    return Evidence(source=_text_or(e.get("source"), ""),
                    stance=_text_or(e.get("stance"), ""),
                    finding=_text_or(e.get("finding"), ""),
                    note=_text_or(e.get("note"), None))


def _scores(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {k: n for k, n in value.items() if isinstance(n, int)}


def _reasons(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {k: r for k, r in value.items() if ok(r)}


def read_set_aside(path: Path, shown: str) -> tuple[SetAsideFile, list[Problem]]:
    """One set-aside file's decisions and problems (a decision with a problem is left out)."""
    doc = load_yaml(path, shown, expected="the passages set aside (set_aside: [...])")
    out = SetAsideFile(key=path.stem, path=shown)
    if doc.root is None:
        return out, doc.problems
    validator = NodeValidator(shown)
    data = validator.check(s.SET_ASIDE_FILE, doc.root, "")
    if not isinstance(data, dict):
        return out, validator.problems
    pos = validator.positions
    entries = data.get("set_aside")
    for i, item in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("quote"), str) \
                or not isinstance(item.get("reason"), str):
            continue
        at = f"set_aside[{i}]"
        line, col = pos.get(f"{at}.quote", pos.get(at, (1, 1)))
        source = item.get("source")
        if source is INVALID:  # reported; do not report it again as a missing key
            source = ""
        out.entries.append(SetAside(
            quote=item["quote"], reason=item["reason"], line=line, col=col,
            source=source if isinstance(source, str) else None,
            note=item.get("note") if isinstance(item.get("note"), str) else None,
            source_at=pos.get(f"{at}.source"), reason_at=pos.get(f"{at}.reason")))
    if isinstance(data.get("note"), str):
        out.note = data["note"]
    return out, validator.problems
