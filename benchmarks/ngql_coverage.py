"""Print which documented nGQL statement forms parse, and which the emulation translates or refuses (by construct).

The statements are the table of ``tests/ngql/test_documented_forms.py`` (NebulaGraph's own documentation for MATCH,
GO, FETCH, LOOKUP, FIND PATH, GET SUBGRAPH, pipes, set operations and the date/time, string and list functions),
so this report and the test cannot drift apart. Translation only; no engine is started.

    .venv/bin/python benchmarks/ngql_coverage.py [--rows]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ngql.test_documented_forms import FORMS, PAGES, classify  # noqa: E402

_SHORT = {"translates": "translates", "refused": "refused", "no-parse": "does not parse",
          "semantic error": "semantic error"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", action="store_true", help="also print one line per statement form")
    args = ap.parse_args()
    results = [(area, form, *classify(text)) for area, form, text, _, _ in FORMS]
    kinds = ["translates", "refused", "no-parse", "semantic error"]
    print("| area | forms | parse | translate | refused | do not parse | documentation |")
    print("|---|---|---|---|---|---|---|")
    totals = dict.fromkeys(kinds, 0)
    for area, page in PAGES.items():
        rows = [r for r in results if r[0] == area]
        n = {k: sum(r[2] == k for r in rows) for k in kinds}
        for k in kinds:
            totals[k] += n[k]
        print(f"| {area} | {len(rows)} | {len(rows) - n['no-parse']} | {n['translates']} | {n['refused']} | "
              f"{n['no-parse']} | {page} |")
    total = len(results)
    print(f"| **all** | {total} | {total - totals['no-parse']} | {totals['translates']} | {totals['refused']} | "
          f"{totals['no-parse']} | |")
    if totals["semantic error"]:
        print(f"\n{totals['semantic error']} forms end in a semantic error (a defect of the table or the emulation)")
    print("\n| area | form | outcome | construct (refusals and syntax errors) |")
    print("|---|---|---|---|")
    for area, form, outcome, detail in results:
        if outcome != "translates" or args.rows:
            print(f"| {area} | {form} | {_SHORT[outcome]} | {detail.replace('|', '/')} |")


if __name__ == "__main__":
    main()
