"""Fail when a test run skipped anything or ran no browser test (used by scripts/test.sh and CI)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> int:
    """Read a JUnit XML report and return the exit code."""
    root = ET.parse(path).getroot()
    cases = list(root.iter("testcase"))
    skipped = [c for c in cases if c.find("skipped") is not None]
    browser = [c for c in cases if (c.get("classname") or "").startswith("tests.browser")]
    problems = []
    if not cases:
        problems.append("no test ran")
    if skipped:
        names = ", ".join(f"{c.get('classname')}::{c.get('name')}" for c in skipped[:10])
        problems.append(f"{len(skipped)} test(s) skipped: {names}")
    if not browser:
        problems.append("no browser test ran")
    for problem in problems:
        print(f"check_junit: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_junit: {len(cases)} tests ran, {len(browser)} in the browser, none skipped")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "artifacts/junit.xml"))
