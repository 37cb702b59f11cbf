"""Machine-readable downloads: data/claims.json, data/claims.csv, data/references.bib."""

from __future__ import annotations

import csv
import functools
import io
import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from build_tools.core import vocabulary as v
from build_tools.model.claim import Claim
from build_tools.model.source import Source
from build_tools.render.fragments import Fragments
from build_tools.render.references import ama_plain
from build_tools.rules.hype import hype_words


def _rating(claim: Claim) -> int | None:
    term = claim.verdict_term
    return term.rating if term else None


def _certainty(claim: Claim) -> str | None:
    return claim.certainty.level if claim.certainty else None


def _grade(claim: Claim) -> dict[str, Any] | None:
    """How a rated certainty was reached: the start, the steps and their reasons."""
    c = claim.certainty
    if c is None or not c.detailed:
        return None
    return {"start": c.start, "downgrades": c.downgrades, "upgrades": c.upgrades,
            "reasons": c.reasons}


def _reviewed(claim: Claim) -> str | None:
    return claim.reviewed.isoformat() if claim.reviewed else None


def claim_record(claim: Claim) -> dict[str, Any]:
    """A claim as plain data, with its computed flags and the 5..1 verdict rating."""
    return {
        "id": claim.id,
        "statement": claim.statement,
        "bottom_line": claim.bottom_line,
        "topics": claim.topics,
        **{name: getattr(claim, name) for name in v.PICO},
        "verdict": claim.verdict,
        "rating": _rating(claim),
        "certainty": _certainty(claim),
        "grade": _grade(claim),
        "flags": claim.flags,
        "appearances": [{"source": a.source, "quote": a.quote, "cites": a.cites,
                         "promotional": a.promotional, "hype": hype_words(a.quote)}
                        for a in claim.appearances],
        "evidence": [{"source": e.source, "stance": e.stance, "finding": e.finding}
                     for e in claim.evidence],
        "rationale": claim.rationale,
        "reviewed": _reviewed(claim),
    }


def claims_json(claims: list[Claim], sources: dict[str, Source],
                reference: Callable[[Source], str] = ama_plain,
                pieces: Fragments | None = None) -> str:
    """``data/claims.json``; ``reference`` gives a source's reference as plain text (the
    renderer passes the one it keeps for the pages). It is written piece by piece, each claim
    and each source (kept in ``pieces`` between builds), as ``json.dumps(data,
    ensure_ascii=False, indent=1, sort_keys=True)`` writes the whole."""
    def claim(c: Claim) -> str:
        return _encoded(claim_record(c), "\n  ")

    def source(k: str, s: Source) -> str:
        return encode_basestring(k) + ": " + _encoded(
            {"reference": reference(s), "design": s.design, "interest": s.interest,
             "doi": s.get("doi"), "retracted": str(s.retraction) if s.retraction else None},
            "\n  ")

    if pieces is not None:
        made_claims = [pieces.make(pieces.key("json-claim", c), functools.partial(claim, c))
                       for c in claims]
        made_sources = [pieces.make(pieces.key("json-source", s), functools.partial(source, k, s))
                        for k, s in sorted(sources.items())]
    else:
        made_claims = [claim(c) for c in claims]
        made_sources = [source(k, s) for k, s in sorted(sources.items())]
    vocabulary = {"verdicts": {t.value: t.rating for t in v.VERDICTS.values()},
                  "flags": list(v.FLAGS), "hype": list(v.HYPE_TERMS),
                  **{name: {t.value: t.label for t in vocab.values()}
                     for name, vocab in v.PICO.items()}}
    out = ['{\n "claims": ']
    _joined(out, "[", made_claims, "]")
    out.append(',\n "sources": ')
    _joined(out, "{", made_sources, "}")
    out += [',\n "vocabulary": ', _encoded(vocabulary, "\n "), "\n}\n"]
    return "".join(out)  # one copy of the whole (at 10,000 claims, 26 MB), not one a part


def _joined(out: list[str], opening: str, items: list[str], closing: str) -> None:
    """Items already encoded at the second level of indentation, as one JSON list or object,
    appended to ``out``."""
    if not items:
        out += [opening, closing]
        return
    out += [opening, "\n  "]
    for item in items[:-1]:
        out += [item, ",\n  "]
    out += [items[-1], "\n ", closing]


def _encoded(value: Any, newline: str) -> str:
    out: list[str] = []
    _indented(value, out, newline)
    return "".join(out)


def _indented(value: Any, out: list[str], newline: str) -> None:
    """``json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)``, appended to ``out``
    in pieces; ``newline`` is a line break and the current indentation.

    The same text, faster: with ``indent`` set, json encodes in Python through a generator
    per level of nesting (a tenth of rendering 10,000 claims). Here a string, the commonest
    value, is written where it is met, without a call of its own.
    """
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key in sorted(value):
            if not isinstance(key, str):
                raise TypeError(f"keys must be strings, not {key!r}")
            item = value[key]
            if type(item) is str:
                out.append(f"{separator}{encode_basestring(key)}: {encode_basestring(item)}")
            else:
                out.append(f"{separator}{encode_basestring(key)}: ")
                _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            if type(item) is str:
                out.append(separator + encode_basestring(item))
            else:
                out.append(separator)
                _indented(item, out, inner)
            separator = "," + inner
        out.append(newline + "]")
    elif isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None or value is True or value is False or type(value) is int:
        out.append("null" if value is None else "true" if value is True else
                   "false" if value is False else int.__repr__(value))
    else:  # floats and the rest, as json writes them
        out.append(json.dumps(value))


def _cell(text: str) -> str:
    """Defuse spreadsheet formulas: a cell starting with = + - @ is prefixed with a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def claims_csv(claims: list[Claim], pieces: Fragments | None = None) -> str:
    """``data/claims.csv``: a row per claim (each kept in ``pieces`` between builds)."""
    header = _row(["id", "statement", "verdict", "rating", "certainty", "flags", "topics",
                   *v.PICO, "articles", "evidence_sources", "reviewed"])

    def row(c: Claim) -> str:
        return _row([c.id, _cell(c.statement), c.verdict or "", _rating(c) or "",
                     _certainty(c) or "", " ".join(c.flags), " ".join(c.topics),
                     *(" ".join(getattr(c, name)) for name in v.PICO),
                     " ".join(c.articles), " ".join(e.source for e in c.evidence),
                     _reviewed(c) or ""])

    rows = [pieces.make(pieces.key("csv-claim", c), functools.partial(row, c))
            if pieces is not None else row(c) for c in claims]
    return header + "".join(rows)


def _row(values: list[Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(values)
    return out.getvalue()


def references_bib(sources: dict[str, Source]) -> str:
    """Every source as BibTeX, keys sorted, fields in a fixed order."""
    chunks = []
    for key, s in sorted(sources.items()):
        lines = [f"@{s.entry_type}{{{key},"]
        for name in sorted(s.fields):
            value = s.fields[name].replace("\n", " ")
            lines.append(f"  {name} = {{{value}}},")
        lines.append("}")
        chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"
