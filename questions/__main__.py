"""CLI: `python -m questions validate [PATH ...]` `schema`, `export`, `import`, `calibrate`."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from questions import calibrate
from questions.interop import cli as interop
from questions.loader import default_paths, load_banks
from questions.schema import json_schema

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.json"


def schema_text() -> str:
    """The JSON Schema exactly as committed in questions/schema.json."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def validate(paths: list[str]) -> int:
    bank = load_banks(paths or default_paths())
    for error in bank.errors:
        print(error)
    topics = Counter(q.topic for q in bank.questions)
    summary = ", ".join(f"{t} {n}" for t, n in sorted(topics.items()))
    print(f"{len(bank.questions)} valid questions ({summary or 'none'}); {len(bank.errors)} errors", file=sys.stderr)
    return 1 if bank.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m questions", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check bank files or directories (default: the built-in bank)")
    check.add_argument("paths", nargs="*", metavar="PATH")
    dump = sub.add_parser("schema", help="print the bank JSON Schema (or write it with --write)")
    dump.add_argument("--write", action="store_true", help=f"write {SCHEMA_FILE.name} instead of printing")
    interop.add_parsers(sub)
    calibrate.add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.paths)
    if args.command in interop.COMMANDS:
        return interop.run(args)
    if args.command == calibrate.COMMAND:
        return calibrate.run(args)
    if args.write:
        SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    else:
        sys.stdout.write(schema_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
