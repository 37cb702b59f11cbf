"""Bad input never stops the run, never hides a file, never forges a message (issue 9, 1-7).

Each case starts from the valid knowledge base of ``conftest`` (see the line numbers of
:data:`conftest.CLAIM` and :data:`conftest.BIB`), does what a hostile user or a careless file
manager would, and lists every line the checker must print. The positions were read off the
inputs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BIB, BIB_PATH, CERTAINTY, CLAIM, CLAIM_PATH, KB
from test_check_errors import both, claim, write

from build_tools.core.problems import MAX_MESSAGE
from build_tools.knowledge_base import load

C, B = CLAIM_PATH, BIB_PATH
REPO = Path(__file__).resolve().parents[1]
Break = Callable[[KB], object]

UNUSED_SHOP = ("sources/refs.bib:1:1: warning: shop2024: source is not used by any claim "
               "(expected it cited as an appearance, a citation or evidence, or removed)")
UNUSED_SMITH = ("sources/refs.bib:7:1: warning: smith2018: source is not used by any claim "
                "(expected it cited as an appearance, a citation or evidence, or removed)")
CLAIM_FIELDS = ("statement, bottom_line, topics, population, intervention, comparator, outcome, "
                "appearances, evidence, verdict, certainty, rationale, reviewed, note")
VERDICT_MAYBE = (f"{C}:12:10: error: verdict: 'maybe' is not an allowed value (expected one of: "
                 "accurate, mostly-accurate, overstated, unproven, inaccurate)")


def separator_warning(char: str) -> str:
    """The warning about a line or paragraph separator kept in the statement (line 1)."""
    name = {"\x85": "", "\u2028": " (LINE SEPARATOR)",  # a control character has no name
            "\u2029": " (PARAGRAPH SEPARATOR)"}[char]
    return (f"{C}:1:12: warning: statement holds U+{ord(char):04X}{name}, a control or "
            "invisible character that a terminal would obey or a reader not see (expected plain "
            "text: delete it; text copied from a page or a record can bring them)")


DOWNGRADES = ("certainty:\n  level: moderate\n  start: high\n  downgrades:\n    risk_of_bias: {}\n"
              "  upgrades: {{}}\n  reasons: {{risk_of_bias: Nobody was blinded.}}\n")
"""Replaces the certainty (line 13): ``risk_of_bias`` is on line 17, its value in
column 19."""


def link(rel: str, target: str) -> Break:
    def go(kb: KB) -> None:
        kb.path(rel).parent.mkdir(parents=True, exist_ok=True)
        kb.path(rel).symlink_to(target)
    return go


def move(old: str, new: str) -> Break:
    def go(kb: KB) -> None:
        kb.path(new).parent.mkdir(parents=True, exist_ok=True)
        kb.path(old).rename(kb.path(new))
    return go


def mkdir(rel: str) -> Break:
    return lambda kb: kb.path(rel).mkdir(parents=True)


CASES = [
    # --- 1. links that lead nowhere or back to themselves: an error there, the rest checked ----
    pytest.param(
        both(link("sources/extra.bib", "missing.bib"), claim("verdict: accurate",
                                                             "verdict: maybe")),
        [VERDICT_MAYBE,
         "sources/extra.bib:1:1: error: cannot read file: it is a symbolic link to "
         "'missing.bib', which does not exist (expected a file)"],
        id="1-dangling-bib-link-and-the-claim-still-checked"),
    pytest.param(
        both(link("sources/a.bib", "b.bib"), link("sources/b.bib", "a.bib")),
        ["sources/a.bib:1:1: error: cannot read file: it is a symbolic link that leads back to "
         "itself (expected a file)",
         "sources/b.bib:1:1: error: cannot read file: it is a symbolic link that leads back to "
         "itself (expected a file)"],
        id="1-bib-link-loop"),
    pytest.param(
        both(lambda kb: kb.remove("sources/captures/shop2024.txt"),
             link("sources/captures/shop2024.txt", "../../elsewhere/shop2024.txt")),
        ["sources/captures/shop2024.txt:1:1: error: cannot read file: it is a symbolic link to "
         "'../../elsewhere/shop2024.txt', which does not exist (expected a file)"],
        id="1-dangling-capture-link"),
    pytest.param(
        link("sources/captures/loop.txt", "loop.txt"),
        ["sources/captures/loop.txt:1:1: error: cannot read file: it is a symbolic link that "
         "leads back to itself (expected a file)"],
        id="1-capture-link-loop"),
    pytest.param(
        lambda kb: os.mkfifo(kb.path("claims/waiting.yml")),
        ["claims/waiting.yml:1:1: error: cannot read file: it is a device, pipe or socket "
         "(expected a regular file)"],
        id="1-a-pipe-named-like-a-claim-does-not-block"),

    # --- 2. huge integers: an ordinary error, in bounded time -----------------------------
    pytest.param(
        claim(CERTAINTY, DOWNGRADES.format("0x" + "f" * 4000)),
        [f"{C}:17:19: error: certainty.downgrades.risk_of_bias: "
         f"'0x{'f' * 38}…' (4,002 characters) is not allowed (expected one of: 0, -1, -2)"],
        id="2-huge-hex-integer"),
    pytest.param(
        claim(CERTAINTY, DOWNGRADES.format("1" + ":59" * 200_000)),
        [f"{C}:17:19: error: certainty.downgrades.risk_of_bias: "
         f"'1{':59' * 13}…' (600,001 characters) is not allowed (expected one of: 0, -1, -2)"],
        id="2-600kb-base-60-integer"),
    pytest.param(
        claim(CERTAINTY, DOWNGRADES.format("-0x1")),
        [],  # -1 in hexadecimal: start high, one step down, moderate as written
        id="2-small-integers-are-still-read"),

    # --- 3. every file read or named ------------------------------------------------------
    pytest.param(
        move(C, "claims/archive/walking-cures.yml"),
        ["claims/archive/walking-cures.yml:1:1: error: claim file in a subfolder is not read "
         "(expected it directly in claims/, as claims/walking-cures.yml; to remove a claim, "
         "delete its file: git keeps its history)"],
        id="3-claim-moved-to-a-subfolder"),
    *[pytest.param(
        move(C, f"claims/walking-cures{suffix}"),
        [f"claims/walking-cures{suffix}:1:1: error: claim file ends in '{suffix}' (expected "
         "'.yml')"],
        id=f"3-claim-ending-in-{suffix}") for suffix in (".Yaml", ".yML", ".YAML")],
    pytest.param(
        move(C, "claims/walking-cures"),
        ["claims/walking-cures:1:1: error: file is not read: claims/ holds only claim files, "
         "<id>.yml (expected it moved out of the folder, or renamed if it belongs here)"],
        id="3-claim-without-extension"),
    pytest.param(
        link("claims/gone.yml", "../drafts/gone.yml"),
        ["claims/gone.yml:1:1: error: cannot read file: it is a symbolic link to "
         "'../drafts/gone.yml', which does not exist (expected a file)"],
        id="3-dangling-claim-link"),
    pytest.param(
        both(mkdir("drafts"), move(C, "drafts/walking-cures.yml"),
             link("claims/drafts", "../drafts")),
        ["claims/drafts:1:1: error: symbolic link to a folder is not read (claims/ holds only "
         "claim files, <id>.yml; expected it removed)"],
        id="3-linked-folder-of-claims"),
    pytest.param(
        both(write("claims/archive/notes.md", "Notes.\n"),
             write("sources/captures/old/shop2023.txt", "Old text.\n")),
        ["claims/archive/notes.md:1:1: error: file in a subfolder of claims/ is not read "
         "(claims/ holds only claim files, <id>.yml, directly in it)",
         "sources/captures/old/shop2023.txt:1:1: error: capture file in a subfolder is not read "
         "(expected it directly in sources/captures/, as sources/captures/shop2023.txt)"],
        id="3-other-files-in-subfolders"),
    pytest.param(
        move(B, "sources/old/refs.bib"),
        ["claims/walking-cures.yml:4:13: error: appearances[0].source: unknown source "
         "'shop2024': it is in sources/old/refs.bib, which is not read (expected a key defined "
         "in sources/*.bib)",
         "claims/walking-cures.yml:6:13: error: appearances[0].cites[0]: unknown source "
         "'smith2018': it is in sources/old/refs.bib, which is not read (expected a key defined "
         "in sources/*.bib)",
         "claims/walking-cures.yml:9:13: error: evidence[0].source: unknown source 'smith2018': "
         "it is in sources/old/refs.bib, which is not read (expected a key defined in "
         "sources/*.bib)",
         "sources/captures/shop2024.txt:1:1: warning: capture for unknown source 'shop2024' "
         "(expected the file named after a key in sources/*.bib)",
         "sources/old/refs.bib:1:1: error: BibTeX file in a subfolder is not read (expected it "
         "directly in sources/, as sources/refs.bib)"],
        id="3-cited-bib-moved-to-a-subfolder-is-named-by-each-unknown-key"),
    pytest.param(
        write("sources/notes.txt", "To do: add the 2024 trials.\n"),
        ["sources/notes.txt:1:1: error: file is not read: sources/ holds only BibTeX files, "
         "<name>.bib, and the folder captures/ (expected it moved out of the folder, or renamed "
         "if it belongs here)"],
        id="3-other-file-in-sources"),
    pytest.param(
        write("sources/captures/shop2024.html", "<p>Our physio says</p>\n"),
        ["sources/captures/shop2024.html:1:1: error: file is not read: sources/captures/ holds "
         "only captures, <key>.txt, and set-aside files, <key>.yml (expected it moved out of "
         "the folder, or renamed if it belongs here)"],
        id="3-other-file-in-captures"),
    pytest.param(
        both(write("claims/.DS_Store", b"\0\0\0\1Bud1"), write(f"{C}~", CLAIM)),
        ["claims/.DS_Store:1:1: warning: hidden file is not read: claims/ holds only claim "
         "files, <id>.yml (expected it deleted, if the system or an editor left it)",
         "claims/walking-cures.yml~:1:1: warning: backup file is not read: claims/ holds only "
         "claim files, <id>.yml (expected it deleted, if the system or an editor left it)"],
        id="3-what-the-system-or-an-editor-leaves-is-a-warning"),

    # --- 5. one problem, one line; escapes shown; every message bounded ---------------------
    pytest.param(
        claim("topics: [walking, low-back-pain]",
              'topics: "walking\\nclaims/other.yml:1:1: error: forged"'),
        [f"{C}:2:9: error: topics: got text 'walking\\nclaims/other.yml:1:1: error: for…' "
         "(43 characters) (expected a list of a kebab-case word)"],
        id="5-short-text-for-a-list-holding-a-line-break"),
    pytest.param(
        claim("verdict: accurate\n", 'verdict: accurate\n"a\\nclaims/x.yml:1:1: error: b": 1\n'),
        [f"{C}:13:1: error: a\\nclaims/x.yml:1:1: error: b: unknown field 'a\\nclaims/x.yml:1:1: "
         f"error: b' (expected one of: {CLAIM_FIELDS})"],
        id="5-key-holding-a-line-break"),
    pytest.param(
        claim("verdict: accurate\n", 'verdict: accurate\n"\\e[2J\\e[31mred\\u2028": 1\n'),
        [f"{C}:13:1: error: \\x1b[2J\\x1b[31mred\\u2028: unknown field "
         "'\\x1b[2J\\x1b[31mred\\u2028' (expected one of: " + CLAIM_FIELDS + ")"],
        id="5-terminal-escapes-in-a-key"),
    pytest.param(
        claim("statement: Walking every day cures low back pain.", "statement: " + "9" * 900_000),
        [f"{C}:1:12: error: statement: got the number {'9' * 40}… (900,000 characters) "
         "(expected text; put it in quotes to make it text)"],
        id="5-900000-digit-statement"),
    pytest.param(
        lambda kb: kb.edit(B, "  design  = {rct},", "  design  = {rct},\n  colour  = {red},"),
        ["sources/refs.bib:15:1: error: smith2018: unknown field 'colour' (expected a BibTeX "
         "field listed on the Methodology page, e.g. author, title, journal, year, doi)"],
        id="5-unknown-bibtex-field-does-not-list-every-field"),

    # --- 6. lines as an editor counts them --------------------------------------------------
    *[pytest.param(  # the separator is in the value: a warning at it (issue 19)
        both(claim("statement: Walking every day cures low back pain.",
                   f'statement: "Walking every day\\{escape} cures low back pain."'),
             claim("verdict: accurate", "verdict: maybe")),
        [separator_warning(char), VERDICT_MAYBE],
        id=f"6-{name}-escaped-in-a-value") for name, escape, char in (
            ("nel", "N", "\x85"), ("ls", "L", "\u2028"), ("ps", "P", "\u2029"))],
    *[pytest.param(  # written at once: reading the file back as text would turn a CR into LF
        write(C, CLAIM.replace("Walking every day cures low back pain.",
                               f'"Walking every day{char}cures low back pain."')
              .replace("verdict: accurate", "verdict: maybe").encode()),
        [*kept, VERDICT_MAYBE],  # a quoted scalar folds NEL and CR; YAML keeps LS and PS
        id=f"6-{name}-in-a-quoted-value") for name, char, kept in (
            ("nel", "\x85", []), ("ls", "\u2028", [separator_warning("\u2028")]),
            ("ps", "\u2029", [separator_warning("\u2029")]), ("cr", "\r", []))],
    pytest.param(
        both(claim("statement: Walking every day cures low back pain.",
                   'statement: "Walking every\u2028day cures low back pain."'),
             claim("verdict: accurate", "verdict: [accurate")),
        [f"{C}:13:10: error: YAML does not parse: did not find expected ',' or ']' in the flow "
         "sequence that starts at line 12, column 10 (expected valid YAML; check quotes, colons "
         "and indentation)"],
        id="6-yaml-error-after-a-line-separator"),
    pytest.param(
        write(C, CLAIM.replace("verdict: accurate\n", "").rstrip("\n") + "\nverdict: [accurate"),
        # the last line is 19, "verdict: [accurate": the end of the file is its column 19
        [f"{C}:19:19: error: YAML does not parse: did not find expected ',' or ']' (expected "
         "valid YAML; check quotes, colons and indentation)"],
        id="6-yaml-error-at-the-end-of-a-file-without-final-newline"),
    pytest.param(
        write(C, CLAIM.replace("cures low", "cures ünd\xe9low").encode("utf-8")
              .replace("\xe9".encode(), b"\xe9")),
        [f"{C}:1:39: error: file is not UTF-8: byte 0xe9 cannot be decoded (expected UTF-8 "
         "text)"],
        id="6-column-of-a-bad-byte-counts-characters"),

    # --- 7. messages that say what is wrong -------------------------------------------------
    pytest.param(
        write("sources/trials.bib", "".join(f"@article{{,\n  title = {{Trial {n}}},\n"
                                            "  design = {rct},\n}\n" for n in range(3))),
        ["sources/trials.bib:1:1: error: entry has no key (expected @type{key, field = "
         "{value}, ...})",
         "sources/trials.bib:5:1: error: entry has no key (expected @type{key, field = "
         "{value}, ...})",
         "sources/trials.bib:9:1: error: entry has no key (expected @type{key, field = "
         "{value}, ...})"],
        id="7-every-entry-without-a-key-is-one-without-a-key"),
    pytest.param(
        write("sources/strings.bib", '@string{spine = "Spine"}\n@string{spine = "SPINE"}\n'),
        ["sources/strings.bib:2:1: error: @string 'spine' is defined twice (expected each "
         "@string once across sources/; first at sources/strings.bib:1)"],
        id="7-redefined-string-in-one-file"),
    pytest.param(
        both(write("sources/a.bib", '@string{spine = "Spine"}\n'),
             write("sources/b.bib", '@string{SPINE = "SPINE"}\n')),
        ["sources/b.bib:1:1: error: @string 'SPINE' is defined twice (expected each @string "
         "once across sources/; first at sources/a.bib:1)"],
        id="7-redefined-string-across-files"),
    pytest.param(
        both(mkdir("claims/old.yaml"), move(C, "claims/old.yaml/walking-cures.yml")),
        ["claims/old.yaml/walking-cures.yml:1:1: error: claim file in a subfolder is not read "
         "(expected it directly in claims/, as claims/walking-cures.yml; to remove a claim, "
         "delete its file: git keeps its history)"],
        id="7-a-folder-named-like-a-claim-file-is-a-folder"),
    pytest.param(
        mkdir("claims/x.yaml"),
        ["claims/x.yaml:1:1: warning: empty folder is not read (claims/ holds only claim files, "
         "<id>.yml; expected it deleted)"],
        id="7-an-empty-folder-named-like-a-claim-file"),
]


@pytest.mark.parametrize(("breaks", "expected"), CASES)
def test_each_problem_at_its_place(kb: KB, breaks: Break, expected: list[str]) -> None:
    breaks(kb)
    assert kb.problems() == expected
    code, lines, _ = kb.check()
    assert lines == expected  # the command prints the same lines, each on one line
    assert code == (1 if any(": error: " in e for e in expected) else 0)


@pytest.mark.parametrize("suffix", [".BIB", ".bibtex", ".Bib"])
def test_a_misnamed_bib_is_named_by_each_unknown_key(kb: KB, suffix: str) -> None:
    kb.path(B).rename(kb.path(f"sources/refs{suffix}"))
    where = f"it is in sources/refs{suffix}, which is not read"
    assert kb.problems() == [
        f"{C}:4:13: error: appearances[0].source: unknown source 'shop2024': {where} (expected "
        "a key defined in sources/*.bib)",
        f"{C}:6:13: error: appearances[0].cites[0]: unknown source 'smith2018': {where} "
        "(expected a key defined in sources/*.bib)",
        f"{C}:9:13: error: evidence[0].source: unknown source 'smith2018': {where} (expected a "
        "key defined in sources/*.bib)",
        "sources/captures/shop2024.txt:1:1: warning: capture for unknown source 'shop2024' "
        "(expected the file named after a key in sources/*.bib)",
        f"sources/refs{suffix}:1:1: error: BibTeX file ends in '{suffix}' (expected '.bib')",
    ]


def test_every_file_is_read_or_named(kb: KB) -> None:
    """Many odd files at once: each file under claims/ and sources/ is loaded or in a message."""
    kb.write("claims/archive/one.yml", CLAIM)
    kb.write("claims/archive/deeper/two.yaml", CLAIM)
    kb.write("claims/three.YML", CLAIM)
    kb.write("claims/notes.md", "notes\n")
    kb.write("sources/old/refs.bib", BIB)
    kb.write("sources/refs.BIB", BIB)
    kb.write("sources/captures/x/y.txt", "text\n")
    kb.path("claims/broken.yml").symlink_to("nowhere.yml")
    kb.path("sources/loop.bib").symlink_to("loop.bib")
    loaded = load(kb.root)
    read = {c.path for c in loaded.claims} | {s.path for s in loaded.sources.values()} | {
        "sources/captures/shop2024.txt"}
    named = {p.path for p in loaded.report.problems}
    files = {str(p.relative_to(kb.root)) for folder in ("claims", "sources")
             for p in (kb.root / folder).rglob("*") if p.is_symlink() or p.is_file()}
    assert files - read - named == set()
    assert len(files) == 12


def test_problem_lines_are_one_line_and_bounded() -> None:
    from build_tools.core.problems import Problem, Severity
    p = Problem("claims/a\nb.yml", 1, 1, Severity.ERROR, "x\u2028" * 10_000)
    line = p.format()
    assert len(line.splitlines()) == 1 and line.isprintable()
    assert len(p.message) == MAX_MESSAGE and p.message.endswith("…")
    assert p.path == "claims/a\\nb.yml"


def test_a_file_name_that_is_not_utf8_is_named_and_printable(kb: KB) -> None:
    name = os.fsdecode(b"claims/caf\xe9.yml")
    (kb.root / name).write_text(CLAIM, encoding="utf-8")
    code, lines, text = kb.check()
    assert code == 1
    assert lines == ["claims/caf\\udce9.yml:1:1: error: file name 'caf\\udce9.yml' is not a "
                     "valid claim id (expected lowercase letters and digits joined by single "
                     "hyphens, e.g. walking-reduces-recurrence.yml)"]
    text.encode("utf-8")  # printable: no lone surrogate reaches the terminal


def test_mkdocs_build_reports_a_broken_link_without_a_traceback(tmp_path: Path) -> None:
    """The plugin is another way into the loader: it fails the build with the message."""
    from conftest import CAPTURE, write_kb
    write_kb(tmp_path, claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
             captures={"shop2024": CAPTURE})
    (tmp_path / "sources" / "extra.bib").symlink_to("missing.bib")
    (tmp_path / "sources" / "captures" / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: t\ndocs_dir: docs\nplugins:\n  - evidence\n",
                                         encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300, check=False)
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "Traceback" not in out, out
    assert "sources/extra.bib:1:1: error: cannot read file: it is a symbolic link to " \
           "'missing.bib', which does not exist (expected a file)" in out
    assert "sources/captures/loop.txt:1:1: error: cannot read file: it is a symbolic link " \
           "that leads back to itself (expected a file)" in out
