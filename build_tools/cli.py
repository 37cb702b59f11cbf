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

    schema = sub.add_parser("schema", help="write the JSON Schema of a claim file")
    schema.add_argument("--output", "-o", type=Path, default=Path("schema/claim.schema.json"),
                        help="where to write it (default: schema/claim.schema.json)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s: %(message)s")
    try:
        if args.command == "check":
            from build_tools.commands import check
            return check.run(args.path, strict=args.strict)
        if args.command == "schema":
            from build_tools.commands import schema
            return schema.run(args.output)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # no traceback reaches an editor; -v shows it
        logging.getLogger("build_tools").debug("internal error", exc_info=True)
        print(f"error: internal error: {type(exc).__name__}: {exc} (run with -v for details; "
              "please report it)", file=sys.stderr)
        return 2
    return 2
