"""The command line: one table of commands, each a name, a help text, its arguments and the one
function it calls. ``python -m build_tools`` (or the ``kb`` console script).

Each argument's ``dest`` is the name of the function's parameter it fills, so a command is called
with the parsed arguments as they are. The functions are imported only when their command runs:
``check`` never imports Jinja, ``find`` needs bm25s only when it is typed.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_tools import __version__
from build_tools.identifiers import HANDLERS

PROG = "python -m build_tools"
"""The name a user types, shown in ``--help``."""


@dataclass(frozen=True)
class Arg:
    """One argument: its flags (or its positional name) and argparse's options for it."""

    flags: tuple[str, ...]
    options: dict[str, Any]


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


ROOT = arg("--root", type=Path, default=Path("."),
           help="the knowledge base root, holding claims/ and sources/ (default: .)")
NO_CACHE = arg("--no-cache", dest="no_cache", action="store_true",
               help="neither read nor write the cache in .kb-cache/build/ (every file is read "
                    "and every result worked out)")


@dataclass(frozen=True)
class Command:
    """One command: ``name`` is what is typed (``add source``), ``run`` the function it calls
    (``module:function`` under :mod:`build_tools.commands`)."""

    name: str
    help: str
    run: str
    args: tuple[Arg, ...] = ()
    group: tuple[Arg, ...] = ()
    """Arguments of which exactly one must be given."""

    def function(self) -> Callable[..., int]:
        module, name = self.run.split(":")
        fn: Callable[..., int] = getattr(importlib.import_module(f"build_tools.commands.{module}"),
                                         name)
        return fn


COMMANDS: tuple[Command, ...] = (
    Command("check", "check the knowledge base; exit 1 on problems", "check:run", (
        arg("root", nargs="?", default=".", type=Path, metavar="path",
            help="the knowledge base root, holding claims/ and sources/ (default: .)"),
        arg("--strict", action="store_true", help="treat warnings as errors"),
        NO_CACHE,
    )),
    Command("coverage", "show which passages of each article are claimed, set aside or "
                        "unreviewed", "coverage:run", (
        arg("keys", nargs="*", metavar="KEY",
            help="the articles to show (default: every captured article)"),
        arg("--json", dest="as_json", action="store_true", help="print JSON instead of text"),
        arg("--scaffold", action="store_true",
            help="append every unreviewed passage of KEY to its set-aside file with reason: "
                 "TODO, to delete (a claim) or give a reason"),
        ROOT,
        NO_CACHE,
    )),
    Command("render", "write the site's whole docs tree (hand-written and generated pages, "
                      "data files) for any builder", "render:run", (
        arg("--out", required=True, type=Path, metavar="DIR",
            help="the folder to write it to (replaced whole; rendered/docs is the one "
                 "mkdocs.rendered.yml builds)"),
        arg("--config", dest="config_file", type=Path, default=Path("mkdocs.yml"),
            metavar="FILE", help="the site's configuration (default: mkdocs.yml)"),
        arg("--strict", action="store_true", help="treat warnings as errors"),
        NO_CACHE,
    )),
    Command("search-index", "index a built site for its search (Pagefind), after a builder "
                            "that does not run the evidence plugin", "search_index:run", (
        arg("site", type=Path, metavar="SITE",
            help="the built site's folder, e.g. rendered/site or site"),
    )),
    Command("schema", "write the JSON Schemas of claim and set-aside files", "schema:run", (
        arg("--output", "-o", dest="directory", type=Path, default=Path("schema"),
            metavar="DIR", help="the folder to write them to (default: schema)"),
    )),
    Command("new claim", "write claims/<id>.yml, every field commented", "new:run_claim", (
        arg("--source", required=True, metavar="KEY",
            help="the key of the article that makes the claim (in sources/*.bib)"),
        arg("--quote", required=True, help="the article's words, verbatim"),
        arg("--statement", help="the claim in neutral words (also names the file)"),
        arg("--id", dest="claim_id", metavar="ID",
            help="the claim id (default: from the statement, else the quote)"),
        arg("--cites", nargs="*", default=None, metavar="KEY",
            help="the keys of the references the article gave for the passage (--cites alone: "
                 "it cited nothing; default: left TODO)"),
        arg("--promotional", action="store_true",
            help="the passage promotes the publisher's own product or service"),
        arg("--topics", nargs="+", metavar="TOPIC",
            help="topic words (`python -m build_tools topics` lists those in use)"),
        arg("--evidence", nargs="+", metavar="KEY",
            help="the keys of the sources to judge the claim by, one evidence item each"),
        ROOT,
    )),
    Command("new source", "append a BibTeX entry skeleton to sources/", "new:run_source", (
        arg("--key", required=True, help="the new BibTeX key, e.g. smith2018walking"),
        arg("--design", required=True, metavar="DESIGN",
            help="the kind of source, e.g. rct, systematic-review, web-article"),
        arg("--title", help="the title as published"),
        arg("--interest", help="what the publisher sells that a claim could promote"),
        arg("--file", type=Path, default=None,
            help="the .bib file in sources/ to append to (default: sources/evidence.bib)"),
        ROOT,
    )),
    Command("add article", "capture a web article's text and metadata: "
                           "sources/captures/<key>.txt and its entry in sources/articles.bib",
            "add:run_article", (
        arg("url", metavar="URL", help="the article's address"),
        arg("--key", help="the new key (default: suggested from the publisher and the title)"),
        arg("--html", dest="html_file", type=Path, metavar="FILE",
            help="read the page from a saved HTML file instead of fetching URL"),
        arg("--interest", help="what the publisher sells that a claim could promote "
                               "(default: left for you to fill in)"),
        arg("--dry-run", action="store_true",
            help="show the key, the entry and the capture's first lines; write nothing"),
        ROOT,
    )),
    Command("add source", "append a study's entry from its record ("
                          + ", ".join(f"{h.label} at {h.database}" for h in HANDLERS.values())
                          + ")", "add:run_source", (
        arg("--key", help="the new key (default: like pocovi2024effectiveness)"),
        arg("--file", type=Path, default=None,
            help="an existing .bib file in sources/ to append to (default: "
                 "sources/evidence.bib, created if missing)"),
        ROOT,
    ), group=tuple(arg(f"--{h.field}", help=f"the {h.label}, e.g. {h.example}")
                   for h in HANDLERS.values())),
    Command("add appearance", "add an appearance to an existing claim, keeping the file's "
                              "comments and layout", "add:run_appearance", (
        arg("claim_id", metavar="CLAIM", help="the claim id (its file name without .yml)"),
        arg("--source", required=True, metavar="KEY",
            help="the key of the article that makes the claim"),
        arg("--quote", required=True, help="the article's words, verbatim"),
        arg("--cites", nargs="*", required=True, default=[], metavar="KEY",
            help="the keys of the references the article gave for this passage (--cites "
                 "alone: it cited nothing)"),
        arg("--promotional", action="store_true",
            help="the passage promotes the publisher's own product or service"),
        arg("--note", help="anything a reviewer should know about this appearance"),
        ROOT,
    )),
    Command("remove article", "undo add article: delete an article's capture, its set-aside "
                              "file and its entry, when no claim uses them", "remove:run_article", (
        arg("key", metavar="KEY", help="the article's key"),
        ROOT,
    )),
    Command("remove source", "undo add source: delete a study's entry, when no claim uses it",
            "remove:run_source", (
        arg("key", metavar="KEY", help="the source's key"),
        ROOT,
    )),
    Command("topics", "list the topic words in use, most used first, and refresh "
                      "schema/topics.schema.json (offered while typing a claim's topics)",
            "topics:run", (ROOT,)),
    Command("find", "existing claims like some words, best first (needs the intake extra)",
            "find:run", (
        arg("words", nargs="+", metavar="WORDS"),
        arg("--limit", type=int, default=10, help="how many to show (default: 10)"),
        ROOT,
    )),
    Command("verify", "check each source with an identifier against its record ("
                      + ", ".join(h.database for h in HANDLERS.values())
                      + "); record retractions", "verify:run", (
        arg("keys", nargs="*", metavar="KEY",
            help="the sources to verify (default: all with an identifier)"),
        ROOT,
    )),
)
"""Every command, in the order ``--help`` lists them."""

GROUPS = {"new": "scaffold a claim file or a source entry to fill in",
          "add": "capture an article, add a study by its identifier, or add an appearance to a "
                 "claim (needs the intake extra)",
          "remove": "undo an add: remove an article or a source that no claim uses"}
"""The help of each two-word command's first word."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Evidence knowledge base tools.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="print progress messages")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    groups: dict[str, Any] = {}
    for command in COMMANDS:
        first, _, second = command.name.partition(" ")
        if second:
            if first not in groups:
                group = sub.add_parser(first, help=GROUPS[first])
                groups[first] = group.add_subparsers(dest="what", required=True,
                                                     metavar="WHAT")
            parser = groups[first].add_parser(second, help=command.help)
        else:
            parser = sub.add_parser(first, help=command.help)
        parser.set_defaults(command_=command)
        for a in command.args:
            parser.add_argument(*a.flags, **a.options)
        if command.group:
            exclusive = parser.add_mutually_exclusive_group(required=True)
            for a in command.group:
                exclusive.add_argument(*a.flags, **a.options)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    command: Command = args.command_
    values = {k: v for k, v in vars(args).items()
              if k not in ("command", "what", "command_", "verbose")}
    try:
        return command.function()(**values)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # no traceback reaches an editor; -v shows it
        logging.getLogger("build_tools").debug("internal error", exc_info=True)
        print(f"error: internal error: {type(exc).__name__}: {exc} (run with -v for details; "
              "please report it)", file=sys.stderr)
        return 2
