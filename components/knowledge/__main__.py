"""Command line: `python -m components.knowledge check [FOLDER]` and `... export [--format json|csv] [--out FILE]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from components.knowledge.loader import DATA_DIR, check, load_knowledge


def main(argv: list[str] | None = None) -> int:
    """Run the knowledge-base command line; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m components.knowledge", description="Check or export the HipLens knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_check = sub.add_parser("check", help="validate the content; exit 1 with one line per problem")
    p_check.add_argument("folder", nargs="?", default=str(DATA_DIR))
    p_export = sub.add_parser("export", help="print the whole knowledge base as JSON, or write CSV tables to a zip")
    p_export.add_argument("--format", choices=("json", "csv"), default="json")
    p_export.add_argument("--out", help="output file (required for csv; JSON goes to stdout without it)")
    p_export.add_argument("--data", default=str(DATA_DIR), help="data folder (default: data/)")
    sub.add_parser("schema", help="print the JSON Schema of the export")
    args = parser.parse_args(argv)

    if args.command == "check":
        problems = check(Path(args.folder))
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} problem(s) found in {args.folder}", file=sys.stderr)
            return 1
        print(f"ok: {args.folder} is valid")
        return 0

    from components.knowledge.export import export_json, export_schema_json, export_zip

    if args.command == "schema":
        sys.stdout.write(export_schema_json())
        return 0
    problems = check(Path(args.data))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    kb = load_knowledge(Path(args.data))
    if args.format == "json":
        text = export_json(kb)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if not args.out:
        parser.error("export --format csv needs --out FILE.zip")
    Path(args.out).write_bytes(export_zip(kb))
    return 0


if __name__ == "__main__":
    sys.exit(main())
