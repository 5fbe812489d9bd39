"""The README's promises about bad input, exit codes, the decisions file and atomic writes each
name the tests that check them; those tests must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def promises(readme: str) -> list[str]:
    section = readme.split("## Reliability: what is and is not guaranteed", 1)[1].split("**Recovery.**", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    return rows[1:]  # the header row aside


def test_every_promise_names_the_tests_that_check_it(request):
    root = request.config.rootpath
    rows = promises((root / "README.md").read_text(encoding="utf-8"))
    assert len(rows) >= 10
    for row in rows:
        promise, checked_by = row.strip("| ").rsplit(" | ", 1)
        references = REFERENCE.findall(checked_by)
        assert references, f"no test named for: {promise}"
        for path, name in references:
            tree = ast.parse((root / path).read_text(encoding="utf-8"))
            functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
            assert name in functions, f"{path}::{name} (named for: {promise}) does not exist"


def test_every_test_the_readme_names_exists(request):
    root = request.config.rootpath
    for path, name in REFERENCE.findall((root / "README.md").read_text(encoding="utf-8")):
        assert Path(root / path).is_file(), path
        assert f"def {name}(" in (root / path).read_text(encoding="utf-8"), f"{path}::{name}"
