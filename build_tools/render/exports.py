"""Machine-readable downloads: data/claims.json, data/claims.csv, data/references.bib."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from build_tools import vocabulary as v
from build_tools.hype import hype_words
from build_tools.model import Claim, Source
from build_tools.render.references import ama_plain


def claim_record(claim: Claim) -> dict[str, Any]:
    """A claim as plain data, with its computed flags and the 5..1 verdict rating."""
    term = claim.verdict_term
    c = claim.certainty
    return {
        "id": claim.id,
        "statement": claim.statement,
        "bottom_line": claim.bottom_line,
        "topics": claim.topics,
        "verdict": claim.verdict,
        "rating": term.rating if term else None,
        "certainty": c.level if c else None,
        "flags": claim.flags,
        "appearances": [{"source": a.source, "quote": a.quote, "cites": a.cites,
                         "promotional": a.promotional, "hype": hype_words(a.quote)}
                        for a in claim.appearances],
        "evidence": [{"source": e.source, "stance": e.stance, "finding": e.finding}
                     for e in claim.evidence],
        "rationale": claim.rationale,
        "reviewed": claim.reviewed.isoformat() if claim.reviewed else None,
    }


def claims_json(claims: list[Claim], sources: dict[str, Source]) -> str:
    data = {
        "claims": [claim_record(c) for c in claims],
        "sources": {k: {"reference": ama_plain(s), "design": s.design, "interest": s.interest,
                        "doi": s.get("doi"),
                        "retracted": str(s.retraction) if s.retraction else None}
                    for k, s in sorted(sources.items())},
        "vocabulary": {"verdicts": {t.value: t.rating for t in v.VERDICTS.values()},
                       "flags": list(v.FLAGS), "hype": list(v.HYPE_TERMS)},
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _cell(text: str) -> str:
    """Defuse spreadsheet formulas: a cell starting with = + - @ is prefixed with a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def claims_csv(claims: list[Claim]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "statement", "verdict", "rating", "certainty", "flags", "topics",
                "articles", "evidence_sources", "reviewed"])
    for c in claims:
        r = claim_record(c)
        w.writerow([c.id, _cell(c.statement), r["verdict"] or "", r["rating"] or "",
                    r["certainty"] or "", " ".join(c.flags), " ".join(c.topics),
                    " ".join(c.articles), " ".join(e.source for e in c.evidence),
                    r["reviewed"] or ""])
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
