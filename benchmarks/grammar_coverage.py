"""Grammar coverage: the share of a build's gold queries that their dialect's grammar, specialised to their
database, accepts; and the grammar build + compile time per (dialect, schema).

Usage: ``.venv/bin/python benchmarks/grammar_coverage.py BUILD_DIR [--show N]``. Prints one line per dialect
(accepted / total, percent, compile ms per schema: median and max) and the first N rejected golds.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

log = logging.getLogger("grammar_coverage")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    import llguidance

    from momq.bench.dataset import open_build
    from momq.constrain.compiled import _byte_cache, accepts, grammar_for

    build = open_build(args.build)
    items = build.items()
    cache = _byte_cache()
    for dialect in ("mysql", "postgresql", "cypher", "ngql"):
        mine = [it for it in items if it.dialect == dialect]
        compile_ms = []
        for db_id in sorted({it.db_id for it in mine}):
            db = build.database(db_id, dialect)
            t0 = time.perf_counter()
            text = grammar_for(dialect, db)
            grammar = llguidance.LLMatcher.grammar_from_lark(text)
            llguidance.LLMatcher(cache.tokenizer, grammar, log_level=0)
            compile_ms.append((time.perf_counter() - t0) * 1000)
        rejected = []
        for it in mine:
            ok, err = accepts(dialect, build.database(it.db_id, dialect), it.query)
            if not ok:
                rejected.append((it.id, it.query, err))
        n = len(mine)
        log.info("%-10s accepted %4d / %4d (%.2f%%)  grammar build+compile per schema: median %.1f ms, max %.1f ms "
                 "over %d schemas", dialect, n - len(rejected), n, 100.0 * (n - len(rejected)) / max(n, 1),
                 statistics.median(compile_ms), max(compile_ms), len(compile_ms))
        for item_id, query, err in rejected[: args.show]:
            log.info("   rejected %s: %r -> %s", item_id, query[:200], err[:160])


if __name__ == "__main__":
    main()
