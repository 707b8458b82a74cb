"""`python -m questions export|import`: the bank to Moodle XML, GIFT, Anki or CSV, and Moodle XML / GIFT to YAML."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from questions.interop import EXPORTS, FORMATS, export_bytes
from questions.interop.importer import FORMATS as IMPORTS
from questions.interop.importer import Defaults, import_file
from questions.loader import default_paths, load_banks

COMMANDS = ("export", "import")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the export and import subcommands to `python -m questions`."""
    out = sub.add_parser("export", help="write banks as Moodle XML, GIFT, an Anki deck or CSV",
                         description="Export the built-in bank (+ $GRADIENT_LAB_BANK_DIR), or the banks given.")
    out.add_argument("--format", required=True, choices=FORMATS)
    out.add_argument("--out", metavar="FILE", help="output file (default: stdout; anki: " + EXPORTS["anki"][0] + ")")
    out.add_argument("--app-url", metavar="URL", help="the app's public address, for predict questions' links")
    out.add_argument("banks", nargs="*", metavar="BANK", help="bank files or directories")
    into = sub.add_parser("import", help="read a Moodle XML or GIFT file into a validated YAML bank",
                          description="Questions that cannot be mapped are listed as file:line errors and left out.")
    into.add_argument("file", metavar="FILE")
    into.add_argument("--out", metavar="FILE", help="YAML bank to write (default: stdout)")
    into.add_argument("--format", choices=IMPORTS, help="default: from the file name and content")
    into.add_argument("--topic", help="topic for questions that carry none (no topic:.. tag or topic category)")
    into.add_argument("--difficulty", help="easy, medium or hard, for questions that carry none")
    into.add_argument("--learn", action="append", default=[], metavar="PATH",
                      help="Learn page for questions that carry none (repeatable; default: the topic's page)")


def _export(args: argparse.Namespace) -> int:
    bank = load_banks(args.banks or default_paths())
    for error in bank.errors:
        print(error, file=sys.stderr)
    if bank.errors:
        print(f"not exported: {len(bank.errors)} errors (run `python -m questions validate`)", file=sys.stderr)
        return 1
    try:
        data, name, _ = export_bytes(bank.questions, args.format, args.app_url)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    out = args.out or (name if args.format == "anki" else "-")
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        Path(out).write_bytes(data)
    where = "stdout" if out == "-" else out
    print(f"{len(bank.questions)} questions exported as {args.format} to {where}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    result = import_file(args.file, args.format, Defaults(args.topic, args.difficulty, tuple(args.learn)))
    for error in result.errors:
        print(error, file=sys.stderr)
    if args.out:
        Path(args.out).write_text(result.yaml_text, encoding="utf-8")
    else:
        sys.stdout.write(result.yaml_text)
    print(f"{len(result.questions)} questions imported; {len(result.errors)} errors", file=sys.stderr)
    return 1 if result.errors else 0


def run(args: argparse.Namespace) -> int:
    """Run the export or import subcommand parsed by add_parsers."""
    return _export(args) if args.command == "export" else _import(args)
