"""Does a change to build_tools keep the checker's behaviour? Compare it with a copy from before.

    cp -r build_tools /tmp/before/           # before the change
    ...                                      # change build_tools
    python3 bench/equivalence.py /tmp/before # after it: exit 0 when nothing differs

It writes ``bench/out/mutants/``: a synthetic knowledge base (``bench_check.generate``) in which
about a third of the claim files and a few BibTeX entries and captures are broken in the ways an
editor breaks them (missing, unknown and duplicate fields, wrong types, aliases, YAML that does
not parse, unknown sources, quotes not in the capture, certainty that does not add up, bad file
names and encodings). Then, for the ``build_tools`` in this repository and for the one in the
folder given, it loads every knowledge base named (the mutants, ``bench/out/kb-*`` and the
repository's own) and compares, in full: every claim record with its positions and flags,
every source, the report in the order found, and the output and exit code of
``python3 -m build_tools check`` and ``check --strict``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

MUTATIONS: list[tuple[str, str]] = [
    # (regular expression on the claim file's text, replacement); the first match is replaced
    (r"(?m)^statement: .*\n", ""),
    (r"(?m)^verdict: .*\n", ""),
    (r"(?m)^reviewed: .*\n", ""),
    (r"(?m)^rationale: >-\n(  .*\n)+", ""),
    (r"(?m)^statement:", "statment:"),
    (r"(?m)^verdict: \S+", "verdict: acurate"),
    (r"(?m)^verdict: \S+", "verdict: Accurate"),
    (r"(?m)^verdict: \S+", "verdict: 5"),
    (r"(?m)^reviewed: \S+", "reviewed: 2024-13-45"),
    (r"(?m)^reviewed: \S+", "reviewed: yesterday"),
    (r"(?m)^reviewed: \S+", "reviewed: 2999-01-01"),
    (r"(?m)^reviewed: \S+", "reviewed: '2024-02-03'"),
    (r"(?m)^topics: \[.*\]", "topics: walking"),
    (r"(?m)^topics: \[.*\]", "topics: []"),
    (r"(?m)^topics: \[.*\]", "topics: [Walking, walking, walk ing]"),
    (r"(?m)^topics: \[.*\]", "topics: &t [walking]\nnote: *t"),
    (r"(?m)^topics:\n  - ", "topics:\n  - pain\n  - pain\n  - "),
    (r"(?m)^verdict: (\S+)", "verdict: \\1\nverdict: accurate"),
    (r"(?m)^    promotional: \S+", "    promotional: \"no\""),
    (r"(?m)^    promotional: \S+", "    promotional: yes"),
    (r"(?m)^    promotional: \S+", "    promotional:"),
    (r"(?m)^    cites: \[.*\]", "    cites:"),
    (r"(?m)^    cites: \[.*\]", "    cites: [nosuchref2020, nosuchref2020]"),
    (r"(?m)^    cites: \[(\S+?)(,.*)?\]", "    cites: [\\1, \\1]"),
    (r"(?m)^    cites: \[.*\]", "    cites: walking"),
    (r"(?m)^    quote: \".*\"", "    quote: \"Words that no article ever wrote here.\""),
    (r"(?m)^    quote: \".*\"", "    quote: \"ok\""),
    (r"(?m)^    quote: \".*\"", "    quote: 42"),
    (r"(?m)^  - source: \S+", "  - source: verywell-walking-lbq"),
    (r"(?m)^  - source: \S+", "  - source: has space"),
    (r"(?m)^  - source: (\S+)\n    stance", "  - source: \\1x\n    stance"),
    (r"(?m)^    stance: \S+", "    stance: support"),
    (r"(?m)^    stance: \S+", "    stance: [supports]"),
    (r"(?m)^    stance: \S+", "    stance: supports\n    stance: contradicts"),
    (r"(?m)^    stance: \S+", "    stance: supports\n    stance_note: oops"),
    (r"(?m)^    finding: >-\n(      .*\n)+", "    finding: short\n"),
    (r"(?m)^    finding: >-\n(      .*\n)+", "    finding:\n"),
    (r"(?m)^evidence:\n(  .*\n)+", "evidence: []\n"),
    (r"(?m)^evidence:\n(  .*\n)+", "evidence:\n"),
    (r"(?m)^evidence:\n(  .*\n)+", "evidence: {}\n"),
    (r"(?m)^appearances:\n", "appearances:\n  - just a string\n"),
    (r"(?m)^appearances:\n", "appearances:\n  - {source: verywell-walking-lbp}\n"),
    (r"(?m)^certainty: \S+\n", ""),
    (r"(?m)^certainty: \S+", "certainty: medium"),
    (r"(?m)^certainty: \S+", "certainty: 3"),
    (r"(?m)^certainty: \S+", "certainty:\n  level: high"),
    (r"(?m)^certainty: \S+", "certainty:\n  level: high\n  start: low\n  downgrades: {}"),
    (r"(?m)^  level: \S+", "  level: high"),
    (r"(?m)^  level: \S+", "  level: very-low"),
    (r"(?m)^    risk_of_bias: \S+", "    risk_of_bias: -3"),
    (r"(?m)^    risk_of_bias: \S+", "    risk_of_bias: one"),
    (r"(?m)^    risk_of_bias: \S+", "    risk_of_bias: -1\n    bias: -1"),
    (r"(?m)^  downgrades:", "  downgrades: 0\n  old_downgrades:"),
    (r"(?m)^  start: \S+", "  start: moderate"),
    (r"(?m)^    large_effect: \S+", "    large_effect: 2"),
    (r"(?m)^statement: (.*)", "statement: \\1 " + "and more words " * 30),
    (r"(?m)^statement: (.*)", "statement: [\\1]"),
    (r"(?m)^statement: (.*)", "statement: 'Unclosed quote"),
    (r"(?m)^statement: (.*)", "statement: x: y: z"),
    (r"(?m)^statement: (.*)", "statement: \\1\n  bad indent: here"),
    (r"(?m)^statement: (.*)", "statement: !!str \\1"),
    (r"(?m)^statement: (.*)", "statement: !custom \\1"),
    (r"(?m)^statement: (.*)", "? [complex, key]\n: value\nstatement: \\1"),
    (r"(?m)^note: .*", "note: ''"),
    (r"(?m)^rationale: >-", "rationale: 12\nrationale_old: >-"),
    (r"\A", "---\n"),
    (r"\Z", "---\nsecond: document\n"),
    (r"\A", "- a list\n- at the top\n"),
]
FILE_MUTATIONS = ("empty", "blank", "bom", "latin1", "uppercase-name", "yaml-suffix",
                  "bad-name", "null-doc", "scalar-doc", "huge", "directory", "txt-suffix")


def _mutate_claims(root: Path, rng: random.Random) -> None:
    claims = sorted((root / "claims").glob("*.yml"))
    for i, path in enumerate(claims):
        if rng.random() > 0.35:
            continue
        text = path.read_text(encoding="utf-8")
        if i % 29 == 0:
            kind = FILE_MUTATIONS[(i // 29) % len(FILE_MUTATIONS)]
            _file_mutation(path, text, kind)
            continue
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            pattern, repl = rng.choice(MUTATIONS)
            text = re.sub(pattern, repl, text, count=1)
        path.write_text(text, encoding="utf-8")
    # a duplicate id regardless of case, and a claim with no evidence at all
    first = claims[1]
    if first.exists():
        (first.parent / "dup-case.yml").write_text(first.read_text(encoding="utf-8"),
                                                   encoding="utf-8")
        (first.parent / "Dup-Case.yml").write_text(first.read_text(encoding="utf-8"),
                                                   encoding="utf-8")


def _file_mutation(path: Path, text: str, kind: str) -> None:
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "blank":
        path.write_text("\n  \n", encoding="utf-8")
    elif kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif kind == "latin1":
        path.write_bytes(text.replace("statement: ", "statement: caf\u00e9 ").encode("latin-1",
                                                                                  "replace"))
    elif kind == "uppercase-name":
        path.rename(path.with_name(path.stem.upper() + ".yml"))
    elif kind == "yaml-suffix":
        path.rename(path.with_suffix(".yaml"))
    elif kind == "bad-name":
        path.rename(path.with_name(path.stem + "--x_y.yml"))
    elif kind == "null-doc":
        path.write_text("# only a comment\n", encoding="utf-8")
    elif kind == "scalar-doc":
        path.write_text("just some text\n", encoding="utf-8")
    elif kind == "huge":
        path.write_text(text + "# " + "x" * 1_000_100 + "\n", encoding="utf-8")
    elif kind == "directory":
        path.unlink()
        path.mkdir()
    elif kind == "txt-suffix":
        path.rename(path.with_suffix(".txt"))


BIB_MUTATIONS: list[tuple[str, str]] = [
    (r"  design +=[^\n]*\n", ""),
    (r"  title +=[^\n]*\n", ""),
    (r"doi( +)= \{", "doi\\1= {https://doi.org/"),
    (r"pmid( +)= \{", "pmid\\1= {PMID"),
    (r"year( +)= \{", "year\\1= {circa "),
    (r"design( +)= \{[^}]*\}", "design\\1= {RCT}"),
    (r"design( +)= \{[^}]*\}", "design\\1= {randomised}"),
    (r"journal( +)=", "jounral\\1="),
    (r"journal( +)=", "Journal\\1="),
    (r"volume( +)= \{(\d+)\}", "volume\\1= {\\2},\n  volume = {\\2}"),
    (r"title( +)= \{", "title\\1= {{}} {"),
    (r"@article\{", "@article{broken"),
    (r"\}\n\Z", "\n"),
    (r",\n  ", ",\n  = {x},\n  "),
]


def _mutate_sources(root: Path, rng: random.Random) -> None:
    for path in sorted((root / "sources").glob("evidence-*.bib")):
        entries = path.read_text(encoding="utf-8").split("\n@")
        for i in range(1, len(entries)):
            if rng.random() < 0.01:
                pattern, repl = rng.choice(BIB_MUTATIONS)
                entries[i] = re.sub(pattern, repl, entries[i], count=1)
        # a key twice in one file, and once more in another file in other case
        entries.append(entries[1])
        path.write_text("\n@".join(entries), encoding="utf-8")
    other = root / "sources" / "evidence-z.bib"
    first = (root / "sources" / "evidence-a.bib").read_text(encoding="utf-8").split("\n@")[2]
    key = re.match(r"\w+\{([^,]+),", first)
    assert key
    other.write_text("@" + first.replace(key.group(1), key.group(1).upper()), encoding="utf-8")
    (root / "sources" / "latin1.bib").write_bytes("@misc{caf\u00e9, title = {x}}".encode(
        "latin-1"))
    captures = root / "sources" / "captures"
    (captures / "no-such-article.txt").write_text("Some words.\n", encoding="utf-8")
    (captures / "empty-capture.txt").write_text("", encoding="utf-8")


def make_mutants(root: Path, n: int = 1_000, entries: int = 5_000, seed: int = 7) -> Path:
    from bench_check import generate

    generate(root, n, entries, seed)
    rng = random.Random(seed)
    _mutate_claims(root, rng)
    _mutate_sources(root, rng)
    return root


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, Path)):
        return str(value)
    if hasattr(value, "value") and type(value).__module__.startswith("build_tools"):
        return str(value.value)  # an Enum
    return value


def fingerprint(root: str) -> dict[str, str]:
    """Run in the process whose build_tools is compared: a digest of everything loaded."""
    from build_tools.knowledge_base import load

    kb = load(root, today=dt.date(2025, 6, 30))
    parts = {
        "claims": _plain(kb.claims),
        "sources": _plain(kb.sources),
        "captures": kb.captures,
        "report": _plain(kb.report.problems),
    }
    out = {}
    for name, value in parts.items():
        text = json.dumps(value, sort_keys=False, ensure_ascii=False)
        out[name] = hashlib.sha256(text.encode()).hexdigest()
    out["counts"] = (f"{len(kb.claims)} claims, {len(kb.sources)} sources, "
                     f"{len(kb.report.errors)} errors, {len(kb.report.warnings)} warnings")
    return out


def _run(tree: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONHASHSEED="0")
    # not run from the repository: ``-m`` would import its build_tools whatever PYTHONPATH says
    cwd = HERE / "out"
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)


def compare(before: Path, roots: list[Path]) -> int:
    differ = 0
    for root in roots:
        for label, args in (
            ("records", [str(Path(__file__).resolve()), "--fingerprint", str(root)]),
            ("check", ["-m", "build_tools", "check", str(root)]),
            ("check --strict", ["-m", "build_tools", "check", "--strict", str(root)]),
        ):
            a, b = _run(before, args), _run(REPO, args)
            same = (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)
            lines = a.stdout.count("\n")
            print(f"{'same' if same else 'DIFFERENT'}: {label} {root} "
                  f"(exit {b.returncode}, {lines} lines)")
            if not same:
                differ += 1
                for name, x, y in (("exit", a.returncode, b.returncode),
                                   ("stdout", a.stdout, b.stdout),
                                   ("stderr", a.stderr, b.stderr)):
                    if x != y:
                        print(f"  {name} differs:\n    before: {str(x)[-600:]!r}\n"
                              f"    after:  {str(y)[-600:]!r}")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("before", nargs="?", type=Path,
                   help="a folder holding the build_tools package to compare with")
    p.add_argument("--fingerprint", metavar="ROOT", help=argparse.SUPPRESS)
    p.add_argument("--roots", nargs="*", type=Path,
                   help="knowledge bases to compare on (default: the mutants, bench/out/kb-*, "
                        "and the repository)")
    args = p.parse_args(argv)
    if args.fingerprint:
        print(json.dumps(fingerprint(args.fingerprint), indent=1))
        return 0
    if args.before is None:
        p.error("give the folder that holds the build_tools to compare with")
    if not (args.before / "build_tools").is_dir():
        p.error(f"{args.before}/build_tools: no such package")
    roots = args.roots
    if roots is None:
        # two shapes: most of the work in the BibTeX (5,000 entries), or in the claims (4,000
        # claims, 600 entries), so that the loader shares out each kind of file
        roots = [make_mutants(HERE / "out" / "mutants"),
                 make_mutants(HERE / "out" / "mutants-claims", 4_000, 600, seed=8),
                 *sorted((HERE / "out").glob("kb-*")), REPO]
    roots = [r.resolve() for r in roots]
    return compare(args.before, roots)


if __name__ == "__main__":
    sys.exit(main())
