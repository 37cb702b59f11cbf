"""The command line: parse arguments, call one function. ``kb`` or ``python -m build_tools``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from build_tools import __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb", description="Evidence knowledge base tools.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="print progress messages")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check the knowledge base; exit 1 on problems")
    check.add_argument("path", nargs="?", default=".", type=Path,
                       help="the knowledge base root, holding claims/ and sources/ (default: .)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    coverage = sub.add_parser("coverage", help="show which passages of each article are claimed, "
                                               "set aside or unreviewed")
    coverage.add_argument("keys", nargs="*", metavar="KEY",
                          help="the articles to show (default: every captured article)")
    coverage.add_argument("--json", action="store_true", help="print JSON instead of text")
    coverage.add_argument("--root", type=Path, default=Path("."),
                          help="the knowledge base root, holding claims/ and sources/ "
                               "(default: .)")

    render = sub.add_parser("render", help="write the site's whole docs tree (hand-written and "
                                           "generated pages, data files) for any builder")
    render.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="the folder to write it to (replaced whole; rendered/docs is the "
                             "one mkdocs.rendered.yml builds)")
    render.add_argument("--config", type=Path, default=Path("mkdocs.yml"), metavar="FILE",
                        help="the site's configuration (default: mkdocs.yml)")
    render.add_argument("--strict", action="store_true", help="treat warnings as errors")

    schema = sub.add_parser("schema", help="write the JSON Schemas of claim and set-aside files")
    schema.add_argument("--output", "-o", type=Path, default=Path("schema"), metavar="DIR",
                        help="the folder to write them to (default: schema)")

    new = sub.add_parser("new", help="scaffold a claim file or a source entry to fill in")
    new_sub = new.add_subparsers(dest="what", required=True, metavar="WHAT")
    claim = new_sub.add_parser("claim", help="write claims/<id>.yml, every field commented")
    claim.add_argument("--source", required=True, metavar="KEY",
                       help="the key of the article that makes the claim (in sources/*.bib)")
    claim.add_argument("--quote", required=True, help="the article's words, verbatim")
    claim.add_argument("--statement", help="the claim in neutral words (also names the file)")
    claim.add_argument("--id", dest="claim_id", metavar="ID",
                       help="the claim id (default: from the statement, else the quote)")
    source = new_sub.add_parser("source", help="append a BibTeX entry skeleton to sources/")
    source.add_argument("--key", required=True, help="the new BibTeX key, e.g. smith2018walking")
    source.add_argument("--design", required=True, metavar="DESIGN",
                        help="the kind of source, e.g. rct, systematic-review, web-article")
    source.add_argument("--title", help="the title as published")
    source.add_argument("--interest", help="what the publisher sells that a claim could promote")
    source.add_argument("--file", type=Path, default=None,
                        help="the .bib file in sources/ to append to (default: "
                             "sources/evidence.bib)")
    for p_new in (claim, source):
        p_new.add_argument("--root", type=Path, default=Path("."),
                           help="the knowledge base root, holding claims/ and sources/ "
                                "(default: .)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        if args.command == "check":
            from build_tools.commands import check
            return check.run(args.path, strict=args.strict)
        if args.command == "coverage":
            from build_tools.commands import coverage
            return coverage.run(args.root, args.keys, as_json=args.json)
        if args.command == "render":
            from build_tools.commands import render
            return render.run(args.out, args.config, strict=args.strict)
        if args.command == "schema":
            from build_tools.commands import schema
            return schema.run(args.output)
        if args.command == "new":
            from build_tools.commands import new
            if args.what == "claim":
                return new.run_claim(args.root, args.source, args.quote, args.statement,
                                     args.claim_id)
            return new.run_source(args.root, args.key, args.design, args.title, args.interest,
                                  args.file)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # no traceback reaches an editor; -v shows it
        logging.getLogger("build_tools").debug("internal error", exc_info=True)
        print(f"error: internal error: {type(exc).__name__}: {exc} (run with -v for details; "
              "please report it)", file=sys.stderr)
        return 2
    return 2
