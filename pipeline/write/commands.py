"""`curate report` and `curate show DOC`: pages and the audit view from a build folder, nothing rebuilt."""

from __future__ import annotations

import argparse
import os
import shutil
import sys

from pipeline.write.audit import AuditError, load_documents, render_terminal, resolve_document
from pipeline.write.built import BuiltFolder, NotABuildError

# As in pipeline.cli.
EXIT_OK, EXIT_CANNOT_RUN = 0, 2


def page_command(args: argparse.Namespace) -> int:
    try:
        if args.command == "report":
            return _report(args)
        return _show(args)
    except (NotABuildError, AuditError) as exc:
        print(f"curate {args.command}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN


def _report(args: argparse.Namespace) -> int:
    from pipeline.write.pages import write_pages

    written = write_pages(args.out, args.raw)
    if not args.quiet:
        audit = len(written) - 2
        print(f"wrote {written[0]}, {written[1]} and {audit} audit pages in {args.out / 'audit'}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    built = BuiltFolder(args.out)
    doc_id = resolve_document(built, args.raw, args.document)
    (document,) = load_documents(built, args.raw, [doc_id])
    if args.html:
        from pipeline.write.audit_page import write_audit_pages

        (path,) = write_audit_pages(args.out, [document])
        print(path)
        return EXIT_OK
    width = max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))
    sys.stdout.write(render_terminal(document, width, _color(args.color)))
    return EXIT_OK


def _color(choice: str) -> bool:
    """`auto`: on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")
