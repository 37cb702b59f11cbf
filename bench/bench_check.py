"""Benchmark of ``kb check`` on synthetic knowledge bases of 1,000 and 10,000 claims.

Run from the repository root::

    python3 bench/bench_check.py              # generate, check, time, print a Markdown table
    python3 bench/bench_check.py --profile    # also write a cProfile of the largest load

For each size N it writes ``bench/out/kb-N/`` (claims/, sources/*.bib, sources/captures/), all
from a fixed seed so every run sees the same bytes, checks that the checker finds no error in
it, and then times, best of ``--repeat`` runs each:

* ``check``: ``build_tools.knowledge_base.load(root)`` in this process (a fresh loader each
  time: nothing is cached between runs, so every run reads and parses every file);
* ``cli``: ``python3 -m build_tools check ROOT`` as a command (interpreter start-up, imports,
  load, printing);
* ``parse-only``: what libyaml alone takes for the same claim files: read each file and
  ``yaml.load(text, Loader=yaml.CSafeLoader)``;
* the stages of ``check`` one by one (BibTeX, captures, claim files, link + flag), with the
  same functions the loader calls, in this process with the cyclic garbage collector off as
  the loader runs them, to show where the time goes (``check`` may run some of them in a
  second process, so they can add up to more than it).

The operating system's file cache is warm for every run (the files were just written), for the
checker and for parse-only alike; what is measured is the Python work, not the disk.
``--tree DIR`` measures the build_tools package in DIR instead of this repository's (a copy
made before a change, say); bench/README.md has the results and what they showed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import os
import platform
import pstats
import random
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _tree(argv: list[str]) -> Path:
    """The folder whose build_tools is measured: ``--tree DIR``, or this repository."""
    for i, arg in enumerate(argv):
        if arg == "--tree" and i + 1 < len(argv):
            return Path(argv[i + 1]).resolve()
        if arg.startswith("--tree="):
            return Path(arg.split("=", 1)[1]).resolve()
    return REPO


TREE = _tree(sys.argv[1:]) if __name__ == "__main__" else REPO
sys.path.insert(0, str(TREE))

from build_tools import knowledge_base  # noqa: E402
from build_tools.bibtex.entries import to_source  # noqa: E402
from build_tools.bibtex.files import load_bibtex  # noqa: E402
from build_tools.core import vocabulary as v  # noqa: E402
from build_tools.core.reading import read_text  # noqa: E402
from build_tools.core.text import normalize  # noqa: E402
from build_tools.stages.s2_read import load_yaml  # noqa: E402
from build_tools.stages.s3_validate import validate_claim  # noqa: E402
from build_tools.stages.s4_link import duplicate_ids, link_claim, unused_sources  # noqa: E402
from build_tools.stages.s5_flag import compute_flags  # noqa: E402

SEED = 20240601
TODAY = dt.date(2025, 6, 30)
"""Review dates are before this day, so no claim is reviewed 'in the future'."""

# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

SURNAMES = (
    "Smith", "Garcia", "Nguyen", "Müller", "Rossi", "Kowalski", "Tanaka", "Olsen", "Silva",
    "Okafor", "Dubois", "Johansson", "Kim", "Patel", "O'Brien", "van der Berg", "Hernández",
    "Lefebvre", "Andersen", "Costa", "Fischer", "Moreau", "Yilmaz", "Novak", "Cohen", "Ivanova",
    "Lindqvist", "Bianchi", "Chen", "Walker", "Murphy", "Schmidt", "Sato", "Ahmed", "Pereira",
)
INITIALS = "ABCDEFGHJKLMNPRSTW"
JOURNALS = (
    "Spine", "European Spine Journal", "The Lancet", "BMJ", "JAMA", "Pain",
    "Journal of Orthopaedic & Sports Physical Therapy", "Cochrane Database of Systematic Reviews",
    "Clinical Rehabilitation", "BMC Musculoskeletal Disorders", "Physical Therapy",
    "Annals of Internal Medicine", "The Spine Journal", "Archives of Physical Medicine and "
    "Rehabilitation", "British Journal of Sports Medicine", "PLOS ONE",
)
DESIGNS = ("systematic-review", "rct", "rct", "cohort", "cohort", "cross-sectional",
           "case-control", "guideline", "narrative-review", "case-series", "expert-opinion")
ACTIVITIES = (
    "walking", "brisk walking", "Nordic walking", "treadmill walking", "swimming", "yoga",
    "pilates", "cycling", "tai chi", "core strengthening", "stretching", "aquatic exercise",
    "a daily step goal", "walking in green spaces", "backward walking", "interval walking",
)
OUTCOMES = (
    "reduces pain in", "improves function in", "prevents recurrence of", "speeds recovery from",
    "lowers disability from", "reduces sick leave for", "improves sleep in people with",
    "reduces the need for painkillers in", "eases stiffness in", "improves mood in people with",
)
CONDITIONS = (
    "chronic low back pain", "acute low back pain", "sciatica", "lumbar spinal stenosis",
    "non-specific low back pain", "disc herniation", "back pain in pregnancy",
    "back pain after surgery", "recurrent low back pain",
)
QUALIFIERS = (
    "within six weeks", "as well as physiotherapy does", "more than rest does",
    "in older adults", "in office workers", "when done three times a week",
    "better than medication", "for at least a year", "in people who are overweight",
    "when started early",
)
TOPICS = ("walking", "exercise", "recurrence", "pain", "function", "prevention", "sciatica",
          "stenosis", "sleep", "mood", "medication", "rest", "posture", "green-space",
          "steps", "older-adults", "work", "pregnancy", "surgery", "footwear")
ARTICLES = (  # key, title, publisher, interest
    ("verywell-walking-lbp", "Walking Away Your Low Back Pain", "Verywell Fit", None),
    ("healthsite-walking-lbp", "Is Walking Good for Lower Back Pain?", None, None),
    ("sciaticalm-walking-lbp", "Is Walking Good for Lower Back Pain? Evidence Review",
     "Sciaticalm", None),
    ("shop-walking-lbp", "Walking for Lower Back Pain", None, "lumbar support pillow"),
    ("hinge-walking-lbp", "Why Walking Is Good for Low Back Pain", "Hinge Health", None),
    ("stride-walking-guide", "The Complete Guide to Walking With Back Pain", "Stride Shoes",
     "walking shoes"),
)
STUDY_KINDS = ("a randomised controlled trial", "a systematic review", "a cohort study",
               "a pilot study", "results of a national survey")
STANCES = ("supports", "partly-supports", "contradicts", "inconclusive", "not-relevant")
VERDICTS = ("accurate", "mostly-accurate", "overstated", "unproven", "inaccurate")
LEVELS = {4: "high", 3: "moderate", 2: "low", 1: "very-low"}
REASON_WORDS = ("small", "unblinded", "in other people", "inconsistent", "short")
DOWNGRADES = ("risk_of_bias", "inconsistency", "indirectness", "imprecision",
              "publication_bias")
UPGRADES = ("large_effect", "dose_response", "plausible_confounding")
BIB_FILES = 5
CAPTURE_SENTENCES = 320
SET_ASIDE_HEADER = "# yaml-language-server: $schema=../../schema/set-aside.schema.json\n"


def _sentence(rng: random.Random) -> str:
    """One sentence of an article about exercise and back pain, sometimes typographic."""
    activity = rng.choice(ACTIVITIES)
    s = (f"{activity[0].upper()}{activity[1:]} {rng.choice(OUTCOMES)} "
         f"{rng.choice(CONDITIONS)} {rng.choice(QUALIFIERS)}")
    extra = rng.random()
    if extra < 0.15:
        s += f" \u2014 {rng.randint(2, 9)} in 10 patients said so"
    elif extra < 0.3:
        s += ", and it doesn\u2019t cost anything"
    elif extra < 0.4:
        s += f" (about {rng.randint(3, 60)} minutes a day)"
    return s + "."


@dataclass
class Capture:
    key: str
    text: str
    sentences: list[str]
    """The sentences as a quote would write them: straight quotes and dashes."""


def _distinct_sentences(rng: random.Random, n: int) -> list[str]:
    """``n`` sentences none of which occurs within another (case and typography aside), so
    that quoting one whole marks that passage alone, as the set-aside files need."""
    sentences: list[str] = []
    bases: list[str] = []
    while len(sentences) < n:
        s = _sentence(rng)
        base = normalize(re.split(r" \u2014 |, and | \(about", s)[0].rstrip(".")).casefold()
        if any(base in b or b in base for b in bases):
            continue
        bases.append(base)
        sentences.append(s)
    return sentences


def _capture(rng: random.Random, key: str, title: str) -> Capture:
    sentences = _distinct_sentences(rng, CAPTURE_SENTENCES)
    paragraphs = []
    i = 0
    while i < len(sentences):
        n = rng.randint(2, 5)
        para = " ".join(sentences[i:i + n])
        paragraphs.append(para)  # a paragraph a line, as copied from a browser
        if rng.random() < 0.2:
            paragraphs.append(rng.choice(("Why it matters", "What the research says",
                                          "Tips from our experts", "The bottom line"))
                              + f" ({len(paragraphs) + 1})")
        i += n
    text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    straight = [normalize(s) for s in sentences]
    return Capture(key, text, straight)


def _bib_value(text: str) -> str:
    return "{" + text + "}"


DESIGN_OF: dict[str, str] = {}
"""The design each generated entry was given, by key (the claims' certainty starts from it)."""


def _bib_entry(rng: random.Random, key: str, year: int) -> str:
    design = DESIGN_OF[key] = rng.choice(DESIGNS)
    authors = " and ".join(f"{rng.choice(SURNAMES)}, {rng.choice(INITIALS)}"
                           + (rng.choice(INITIALS) if rng.random() < 0.5 else "")
                           for _ in range(rng.randint(1, 6)))
    if rng.random() < 0.3:
        authors += " and others"
    title = (f"The effect of {rng.choice(ACTIVITIES)} on {rng.choice(CONDITIONS)}: "
             f"{rng.choice(STUDY_KINDS)}")
    if design == "guideline":
        fields = [("title", f"{{Low back pain and sciatica in over 16s}}: {title}"),
                  ("organization", rng.choice(("NICE", "WHO", "American College of Physicians"))),
                  ("year", str(year)), ("url", f"https://guidelines.example.org/{key}"),
                  ("urldate", f"{year + 1}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")]
        kind = "misc"
    else:
        fields = [("author", authors), ("title", title), ("journal", rng.choice(JOURNALS)),
                  ("year", str(year)), ("volume", str(rng.randint(1, 60))),
                  ("number", str(rng.randint(1, 24))),
                  ("pages", f"{(p := rng.randint(1, 2000))}-{p + rng.randint(3, 20)}"),
                  ("doi", f"10.{rng.randint(1000, 99999)}/{key}.{rng.randint(100, 999)}")]
        if rng.random() < 0.6:
            fields.append(("pmid", str(rng.randint(10_000_000, 39_999_999))))
        if rng.random() < 0.3:
            fields.append(("pmcid", f"PMC{rng.randint(1_000_000, 9_999_999)}"))
        kind = "article"
    fields.append(("design", design))
    if rng.random() < 0.5:
        fields.append(("note", "Record and abstract seen on PubMed; "
                               + rng.choice(("full text not seen.", "effect sizes from table 2.",
                                             "the issue number is from the publisher's page.",
                                             "{n} and confidence intervals as reported."))))
    width = max(len(k) for k, _ in fields)
    body = ",\n".join(f"  {k.ljust(width)} = {_bib_value(val)}" for k, val in fields)
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _folded(text: str, indent: str) -> str:
    lines = textwrap.wrap(text, width=88 - len(indent), break_on_hyphens=False)
    return ">-\n" + "\n".join(indent + line for line in lines)


def _certainty(rng: random.Random, keys: list[str]) -> tuple[str, str | None]:
    """The certainty field, and its level (None: left out, as the evidence carries no rating).

    The start is the one the evidence's designs give (:mod:`build_tools.rules.grade`); every
    step that is not 0 has a reason. Written in block or in flow style, as editors do.
    """
    starts = {v.DESIGNS[DESIGN_OF[k]].start for k in keys} - {None}
    if not starts:
        return "", None
    start = "high" if "high" in starts else "low"
    downs = {d: rng.choice((0, 0, -1, -1, -2)) for d in DOWNGRADES}
    ups = {u: rng.choice((0, 0, 0, 1)) for u in UPGRADES} if start == "low" else {}
    rank = (4 if start == "high" else 2) + sum(downs.values()) + sum(ups.values())
    level = LEVELS[max(1, min(4, rank))]
    reasons = {d: f"The trials were {rng.choice(REASON_WORDS)} for {d.replace('_', ' ')}."
               for d, n in {**downs, **ups}.items() if n}
    if rng.random() < 0.5:
        out = f"certainty:\n  level: {level}\n  start: {start}\n  downgrades:\n"
        out += "".join(f"    {d}: {n}\n" for d, n in downs.items())
        out += "  upgrades:\n" + "".join(f"    {u}: {n}\n" for u, n in ups.items()) \
            if ups else "  upgrades: {}\n"
        if reasons:
            out += "  reasons:\n" + "".join(f"    {d}: {r}\n" for d, r in reasons.items())
        return out, level
    flow = ", ".join(f"{d}: {n}" for d, n in downs.items())
    out = (f"certainty: {{level: {level}, start: {start}, downgrades: {{{flow}}}, upgrades: "
           f"{{{', '.join(f'{u}: {n}' for u, n in ups.items())}}}")
    if reasons:
        out += ", reasons: {" + ", ".join(f"{d}: {_quoted(r)}" for d, r in reasons.items()) + "}"
    return out + "}\n", level


def _bottom_line(level: str | None, activity: str, outcome: str, condition: str) -> str:
    """What the evidence says for a reader, in the words GRADE gives its certainty (the checker
    holds bottom lines to them)."""
    said = f"{activity} {outcome} {condition}"
    if level is None:
        return f"Guidance suggests {said}."
    return {"high": f"{said[0].upper()}{said[1:]}.",
            "moderate": f"{activity[0].upper()}{activity[1:]} probably {outcome} {condition}.",
            "low": f"It may be that {said}.",
            "very-low": f"We are very uncertain whether {said}."}[level]


def _claim(rng: random.Random, index: int, captures: list[Capture],
           next_refs: Callable[[int], list[str]]) -> tuple[str, str]:
    """A claim id and its YAML text."""
    activity = rng.choice(ACTIVITIES)
    outcome = rng.choice(OUTCOMES)
    condition = rng.choice(CONDITIONS)
    statement = f"{activity[0].upper()}{activity[1:]} {outcome} {condition} " \
                f"{rng.choice(QUALIFIERS)}."
    words = "-".join(w for w in f"{activity} {outcome}".lower().split()
                     if w.isalpha() and w not in ("a", "the", "in", "of", "for", "from"))
    claim_id = f"{words}-{index:05d}"
    verdict = rng.choice(VERDICTS)
    refs = next_refs(rng.randint(2, 3))
    stances = [rng.choice(STANCES) for _ in refs]
    if verdict in ("accurate", "mostly-accurate"):
        stances[0] = rng.choice(("supports", "partly-supports"))
    elif verdict == "inaccurate":
        stances[0] = "contradicts"
    topics = rng.sample(TOPICS, rng.randint(1, 4))

    out = [f"statement: {_quoted(statement) if rng.random() < 0.5 else statement}\n"]
    if rng.random() < 0.5:
        out.append(f"topics: [{', '.join(topics)}]\n")
    else:
        out.append("topics:\n" + "".join(f"  - {t}\n" for t in topics))
    out.append("appearances:\n")
    for capture in rng.sample(captures, 2):
        quote = rng.choice(capture.sentences)
        if rng.random() < 0.3:  # a part of a sentence is quoted, too
            words_ = quote.split()
            quote = " ".join(words_[:max(3, len(words_) * 2 // 3)])
        cites = rng.sample(refs, rng.randint(0, 2))
        promotional = capture.key.startswith(("shop", "stride")) and rng.random() < 0.5
        out.append(f"  - source: {capture.key}\n    quote: {_quoted(quote)}\n"
                   f"    cites: [{', '.join(cites)}]\n"
                   f"    promotional: {'true' if promotional else 'false'}\n")
        if rng.random() < 0.1:
            out.append("    note: The capture shows this passage under a heading.\n")
    out.append("evidence:\n")
    for ref, stance in zip(refs, stances, strict=True):
        n = rng.randint(20, 4000)
        finding = (f"In {n} adults with {rng.choice(CONDITIONS)}, {rng.choice(ACTIVITIES)} "
                   f"changed pain by {rng.uniform(-3, 1):.1f} points on a 0-10 scale "
                   f"(95% CI {rng.uniform(-4, -1):.1f} to {rng.uniform(-0.9, 1.5):.1f}) "
                   f"at {rng.choice((6, 12, 26, 52))} weeks.")
        out.append(f"  - source: {ref}\n    stance: {stance}\n"
                   f"    finding: {_folded(finding, '      ')}\n")
        if rng.random() < 0.15:
            out.append("    note: Only the abstract was seen.\n")
    out.append(f"verdict: {verdict}\n")
    certainty, level = _certainty(rng, [r for r, st in zip(refs, stances, strict=True)
                                        if st != "not-relevant"])
    out.append(certainty)
    rationale = (f"The evidence for {activity} in {condition} is "
                 f"{rng.choice(('consistent', 'mixed', 'sparse', 'mostly observational'))}; "
                 f"the article states the effect "
                 f"{rng.choice(('as found', 'more strongly than the trials', 'without caveats'))}"
                 f", so the verdict is {verdict}.")
    out.append(f"rationale: {_folded(rationale, '  ')}\n")
    reviewed = TODAY - dt.timedelta(days=rng.randint(1, 700))  # within the 24-month policy
    out.append(f"reviewed: {reviewed.isoformat()}\n")
    out.append(f"bottom_line: {_bottom_line(level, activity, outcome, condition)}\n")
    for name, vocab in v.PICO.items():
        if name != "comparator" or rng.random() < 0.4:
            terms = rng.sample(list(vocab), rng.randint(1, 2))
            out.append(f"{name}: [{', '.join(terms)}]\n")
    if rng.random() < 0.1:
        out.append(f"note: {_quoted('Second review pending: ' + rng.choice(TOPICS))}\n")
    return claim_id, "".join(out)


def generate(root: Path, n_claims: int, n_entries: int, seed: int = SEED) -> None:
    """Write a knowledge base of ``n_claims`` claims and ``n_entries`` BibTeX entries."""
    if root.exists():
        shutil.rmtree(root)
    claims_dir = root / "claims"
    captures_dir = root / "sources" / "captures"
    claims_dir.mkdir(parents=True)
    captures_dir.mkdir(parents=True)
    rng = random.Random(seed)

    # the web articles: one BibTeX file, one capture each
    captures = []
    articles = ["% The web articles whose claims this knowledge base holds.\n"]
    for key, title, publisher, interest in ARTICLES:
        capture = _capture(rng, key, title)
        captures.append(capture)
        (captures_dir / f"{key}.txt").write_text(capture.text, encoding="utf-8")
        fields = [("title", title)] + ([("publisher", publisher)] if publisher else []) + [
            ("year", "2023"), ("design", "web-article")] + (
            [("interest", interest)] if interest else [])
        articles.append(f"\n@online{{{key},\n" + ",\n".join(
            f"  {k} = {_bib_value(v)}" for k, v in fields) + "\n}\n")
    (root / "sources" / "articles.bib").write_text("".join(articles), encoding="utf-8")

    # the references: the rest of the entries, over a few files
    n_refs = n_entries - len(ARTICLES)
    years = [rng.randint(1990, 2024) for _ in range(n_refs)]
    keys = [f"{rng.choice(SURNAMES).lower().replace(' ', '').replace(chr(39), '')}"
            f"{year}ref{i:05d}" for i, year in enumerate(years)]
    per_file = -(-n_refs // BIB_FILES)
    for f in range(BIB_FILES):
        chunk = keys[f * per_file:(f + 1) * per_file]
        parts = [f"% Synthetic evidence, file {f + 1} of {BIB_FILES}.\n"]
        parts += ["\n" + _bib_entry(rng, key, year) for key, year in
                  zip(chunk, years[f * per_file:(f + 1) * per_file], strict=True)]
        (root / "sources" / f"evidence-{chr(ord('a') + f)}.bib").write_text(
            "".join(parts), encoding="utf-8")

    # the claims: evidence walks through the references so that every one gets used
    order = keys[:]
    rng.shuffle(order)
    cursor = 0

    def next_refs(k: int) -> list[str]:
        nonlocal cursor
        picked = [order[(cursor + j) % len(order)] for j in range(k)]
        cursor += k
        return picked

    for i in range(n_claims):
        claim_id, text = _claim(rng, i, captures, next_refs)
        (claims_dir / f"{claim_id}.yml").write_text(text, encoding="utf-8")

    # every passage that no claim quotes is set aside, as an editor does before check --strict
    kb = knowledge_base.load(root, today=TODAY)
    for key, cov in sorted(kb.coverage.items()):
        entries = [{"quote": p.text, "reason": "framing" if p.text.endswith(".") else "heading"}
                   for p in cov.unreviewed]
        if entries:
            (captures_dir / f"{key}.yml").write_text(
                SET_ASIDE_HEADER + yaml.safe_dump({"set_aside": entries}, sort_keys=False,
                                                  allow_unicode=True, width=1000),
                encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def best_of(repeat: int, fn: Callable[[], object], collect: bool = True) -> float:
    """The fastest of ``repeat`` runs of ``fn``, in seconds; ``collect=False`` runs it with the
    cyclic garbage collector off, as the loader runs its stages."""
    times = []
    for _ in range(repeat):
        gc.collect()
        if not collect:
            gc.disable()
        try:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        finally:
            gc.enable()
    return min(times)


def parse_only(root: Path) -> None:
    """libyaml alone: read every claim file and load it with the C loader."""
    for path in sorted((root / "claims").glob("*.yml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def stage_bibtex(root: Path) -> None:
    for path in sorted((root / "sources").glob("*.bib")):
        shown = str(path)
        for entry in load_bibtex(path, shown).entries:
            to_source(entry, shown)


def stage_captures(root: Path) -> None:
    for path in sorted((root / "sources" / "captures").glob("*.txt")):
        text, _ = read_text(path, str(path))
        normalize(text or "")


def stage_compose(root: Path) -> None:
    for path in sorted((root / "claims").glob("*.yml")):
        load_yaml(path, str(path))


def stage_claims(root: Path) -> None:
    for path in sorted((root / "claims").glob("*.yml")):
        doc = load_yaml(path, str(path))
        if doc.root is not None:
            validate_claim(path.stem, str(path), doc.root)


def stage_link(kb: knowledge_base.KnowledgeBase) -> Callable[[], None]:
    def run() -> None:
        duplicate_ids(kb.claims)
        for claim in kb.claims:
            link_claim(claim, kb.sources, kb.captures, TODAY)
            compute_flags(claim, kb.sources)
        unused_sources(kb.claims, kb.sources)
    return run


def cli_check(root: Path) -> Callable[[], None]:
    # run outside the repository, or ``-m`` would import its build_tools whatever the tree
    env = dict(os.environ, PYTHONPATH=str(TREE) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cwd = HERE / "out"

    def run() -> None:
        done = subprocess.run([sys.executable, "-m", "build_tools", "check", str(root)],
                              cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            raise SystemExit(f"check {root} exited {done.returncode} (expected 0)")
    return run


@dataclass
class Result:
    n: int
    files_mb: float
    warnings: int
    check: float
    cli: float | None
    parse_only: float
    stages: dict[str, float] = field(default_factory=dict)


def measure(root: Path, n: int, repeat: int, with_cli: bool) -> Result:
    root = root.resolve()
    kb = knowledge_base.load(root, today=TODAY)
    errors = kb.report.errors
    if errors or len(kb.claims) != n:
        for p in errors[:20]:
            print(p.format(), file=sys.stderr)
        raise SystemExit(f"{root}: {len(errors)} errors, {len(kb.claims)} claims "
                         f"(expected a clean knowledge base of {n} claims)")
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6
    result = Result(
        n=n, files_mb=size, warnings=len(kb.report.warnings),
        check=best_of(repeat, lambda: knowledge_base.load(root, today=TODAY)),
        cli=best_of(repeat, cli_check(root)) if with_cli else None,
        parse_only=best_of(repeat, lambda: parse_only(root)),
    )
    result.stages = {
        "bibtex": best_of(repeat, lambda: stage_bibtex(root), collect=False),
        "captures": best_of(repeat, lambda: stage_captures(root), collect=False),
        "compose": best_of(repeat, lambda: stage_compose(root), collect=False),
        "claims": best_of(repeat, lambda: stage_claims(root), collect=False),
        "link": best_of(repeat, stage_link(kb), collect=False),
    }
    return result


COLUMNS = ("claims", "files (MB)", "`check` in-process (s)", "`check` command (s)",
           "parse-only (s)", "check / parse-only", "BibTeX (s)", "captures (s)",
           "claims: compose (s)", "claims: compose + validate (s)", "link + flag (s)",
           "warnings")


def table(results: list[Result]) -> str:
    def s(x: float | None) -> str:
        return "–" if x is None else f"{x:.2f}"

    rows = ["| " + " | ".join(COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    for r in results:
        st = r.stages
        rows.append(f"| {r.n:,} | {r.files_mb:.1f} | {s(r.check)} | {s(r.cli)} | "
                    f"{s(r.parse_only)} | **{r.check / r.parse_only:.2f}** | "
                    f"{s(st['bibtex'])} | {s(st['captures'])} | {s(st['compose'])} | "
                    f"{s(st['claims'])} | {s(st['link'])} | {r.warnings:,} |")
    if len(results) >= 2:
        a, b = results[0], results[-1]

        def g(x: float | None, y: float | None) -> str:
            return "–" if x is None or y is None else f"{y / x:.1f}x"

        rows.append(f"| growth ({b.n / a.n:.0f}x claims) | {g(a.files_mb, b.files_mb)} | "
                    f"{g(a.check, b.check)} | {g(a.cli, b.cli)} | "
                    f"{g(a.parse_only, b.parse_only)} | | " + " | ".join(
                        g(a.stages[k], b.stages[k])
                        for k in ("bibtex", "captures", "compose", "claims", "link")) + " | |")

        def per(x: float | None, y: float | None) -> str:
            return "–" if x is None or y is None else f"{(y - x) / (b.n - a.n) * 1000:.2f}"

        rows.append(f"| s per 1,000 more claims | | {per(a.check, b.check)} | "
                    f"{per(a.cli, b.cli)} | {per(a.parse_only, b.parse_only)} | | " + " | ".join(
                        per(a.stages[k], b.stages[k])
                        for k in ("bibtex", "captures", "compose", "claims", "link")) + " | |")
    return "\n".join(rows)


def cpu_name() -> str:
    """The CPU model from /proc/cpuinfo, or what platform knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(*packages: tuple[str, str], extra: str = "") -> str:
    """The machine a result was measured on, for a benchmark's header: the day, the system, the
    cores and CPU, Python, each of ``packages`` (a label and the distribution whose version it
    shows), ``extra``, and the load average at the end. Every bench script prints this line."""
    parts = [dt.date.today().isoformat(), f"{platform.system()} {platform.machine()}",
             f"{os.cpu_count()} cores ({cpu_name()})", f"Python {platform.python_version()}"]
    parts += [f"{label} {version(dist)}" for label, dist in packages]
    parts += [extra] if extra else []
    if hasattr(os, "getloadavg"):
        parts.append(f"load average {os.getloadavg()[0]:.1f} at the end")
    return ", ".join(parts)


def version(name: str) -> str:
    """An installed distribution's version, or "not installed"."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def profile(root: Path, out: Path) -> None:
    """cProfile of one load, with the BibTeX read in this process so that it shows."""
    saved = knowledge_base.BACKGROUND_BIBTEX_BYTES
    knowledge_base.BACKGROUND_BIBTEX_BYTES = 1 << 62
    try:
        prof = cProfile.Profile()
        prof.runcall(knowledge_base.load, root, TODAY)
    finally:
        knowledge_base.BACKGROUND_BIBTEX_BYTES = saved
    with out.open("w") as f:
        stats = pstats.Stats(prof, stream=f).strip_dirs()
        stats.sort_stats("tottime").print_stats(40)
        stats.sort_stats("cumulative").print_stats(60)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000],
                   help="claim counts (default: 1000 10000)")
    p.add_argument("--entries", type=int, default=5_000, help="BibTeX entries (default: 5000)")
    p.add_argument("--repeat", type=int, default=3, help="runs per timing; the best counts")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--out", type=Path, default=HERE / "out")
    p.add_argument("--tree", type=Path, default=REPO,
                   help="measure the build_tools in this folder (default: this repository), "
                        "e.g. a copy made before a change")
    p.add_argument("--no-cli", action="store_true", help="skip timing the command")
    p.add_argument("--no-generate", action="store_true",
                   help="reuse bench/out/kb-N from an earlier run")
    p.add_argument("--profile", action="store_true",
                   help="write a cProfile of one load of the largest size to OUT/profile-N.txt")
    args = p.parse_args(argv)
    print(f"measuring {Path(knowledge_base.__file__).parent}", file=sys.stderr)

    results = []
    for n in args.sizes:
        root = args.out / f"kb-{n}"
        if not args.no_generate or not root.exists():
            t0 = time.perf_counter()
            generate(root, n, args.entries, args.seed)
            print(f"generated {root} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        results.append(measure(root, n, args.repeat, not args.no_cli))
        r = results[-1]
        print(f"N={n}: check {r.check:.3f} s, parse-only {r.parse_only:.3f} s", file=sys.stderr)

    if args.profile:
        n = max(args.sizes)
        out = args.out / f"profile-{n}.txt"
        profile((args.out / f"kb-{n}").resolve(), out)
        print(f"wrote {out}", file=sys.stderr)

    libyaml = "yes" if yaml.__with_libyaml__ else "no"
    here = machine(("bibtexparser", "bibtexparser"),
                   extra=f"PyYAML {yaml.__version__} (libyaml {libyaml})")
    print(f"Machine: {here}\n")
    print(table(results))
    last = results[-1]
    ratio = last.check / last.parse_only
    print(f"\nTarget at {last.n:,} claims, check within 1.3 x parse-only: "
          f"{'met' if ratio <= 1.3 else 'missed'} ({ratio:.2f}x).")
    if len(results) >= 2:
        first = results[0]
        print(f"Growth {first.n:,} -> {last.n:,} claims ({last.n / first.n:.0f}x): check "
              f"{last.check / first.check:.1f}x, parse-only "
              f"{last.parse_only / first.parse_only:.1f}x.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
