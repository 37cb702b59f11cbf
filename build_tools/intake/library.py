"""What ``sources/*.bib`` already holds, for the intake commands: every entry's key,
identifiers (DOI, PMID, ...) and address with where it is, and the file a new entry goes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bibtexparser import model as bib

from build_tools.bibtex.files import load_bibtex
from build_tools.core.problems import IntakeError, did_you_mean
from build_tools.identifiers.base import Identifier
from build_tools.intake.article import normalize_url
from build_tools.model.knowledge_base import SOURCES_DIR
from build_tools.model.latex import strip_braces

DEFAULT_EVIDENCE = "evidence.bib"
"""Where ``add source`` (and ``new source``) append a study unless told otherwise."""
DEFAULT_ARTICLES = "articles.bib"
"""Where ``add article`` appends a web article."""


@dataclass
class Located:
    key: str
    path: Path
    shown: str
    line: int
    entry: bib.Entry

    def where(self) -> str:
        return f"'{self.key}' ({self.shown}:{self.line})"


@dataclass
class Library:
    """The entries of ``root/sources/*.bib``, looked up by key, DOI, PMID and address."""

    root: Path
    entries: list[Located] = field(default_factory=list)

    @classmethod
    def read(cls, root: Path) -> Library:
        sources = root / SOURCES_DIR
        if not sources.is_dir():
            raise IntakeError(f"{sources}: no such directory (expected the root of a knowledge "
                              "base, holding claims/ and sources/; see --root)")
        out = cls(root)
        for path in sorted(sources.glob("*.bib")):
            shown = f"{SOURCES_DIR}/{path.name}"
            for entry in load_bibtex(path, shown).entries:
                out.entries.append(Located(entry.key, path, shown, (entry.start_line or 0) + 1,
                                           entry))
        return out

    def _value(self, located: Located, name: str) -> str:
        f = located.entry.fields_dict.get(name)
        return strip_braces(str(f.value)).strip() if f is not None else ""

    def by_key(self, key: str) -> Located | None:
        folded = key.casefold()
        return next((e for e in self.entries if e.key.casefold() == folded), None)

    def by_identifier(self, h: Identifier, value: str) -> Located | None:
        """The entry whose field ``h.field`` names the same work as ``value``."""
        return next((e for e in self.entries if (mine := self._value(e, h.field))
                     and h.same(mine, value)), None)

    def by_url(self, *urls: str | None) -> Located | None:
        wanted = {normalize_url(u) for u in urls if u}
        return next((e for e in self.entries if self._value(e, "url")
                     and normalize_url(self._value(e, "url")) in wanted), None)

    def keys(self) -> list[str]:
        return [e.key for e in self.entries]

    def free_key(self, key: str) -> str:
        """``key`` if no entry has it (in any case), else ``keyb``, ``keyc``, ..."""
        if self.by_key(key) is None:
            return key
        for suffix in "bcdefghijklmnopqrstuvwxyz":
            if self.by_key(key + suffix) is None:
                return key + suffix
        raise IntakeError(f"no free key like '{key}' (give one with --key)")

    def study_file(self) -> Path | None:
        """The file a study goes to when ``--file`` is not given: None for ``evidence.bib``
        (created when missing), unless it is missing and several files already hold studies:
        then :class:`IntakeError` names them, so that the editor chooses rather than get a new
        file beside them."""
        if (self.root / SOURCES_DIR / DEFAULT_EVIDENCE).exists():
            return None
        studies = sorted({e.path.name for e in self.entries
                          if self._value(e, "design") not in ("web-article", "")})
        if len(studies) <= 1:
            return None
        raise IntakeError(f"sources/ holds studies in {len(studies)} files: "
                          f"{', '.join(studies)} (expected --file with one of them, e.g. "
                          f"--file {studies[-1]})")

    def target(self, file: Path | None, default: str) -> tuple[Path, bool]:
        """The .bib file to append to, and whether it must be created. An explicit file must
        exist already; the default one is created when missing (and the command says so)."""
        sources = self.root / SOURCES_DIR
        existing = sorted(p.name for p in sources.glob("*.bib"))
        if file is None:
            path = sources / default
            return path, not path.exists()
        path = sources / file if file.parent == Path(".") else self.root / file
        if path.suffix != ".bib" or path.parent.resolve() != sources.resolve():
            raise IntakeError(f"{file}: expected a .bib file directly in {SOURCES_DIR}/")
        if not path.exists():
            raise IntakeError(f"{SOURCES_DIR}/{path.name} does not exist" + (
                did_you_mean(path.name, existing) or
                f" (expected one of: {', '.join(existing)}; or leave out --file for "
                f"{SOURCES_DIR}/{default})"))
        return path, False
