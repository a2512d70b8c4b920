"""Graph scripts round trip: a Cypher script and an nGQL script (lists, multi-label nodes, multi-tag vertices)
load into a private FalkorDB, and their query tables return the expected rows; failed loads leave nothing behind.

Starts its own FalkorDB server in a temporary folder (nothing under $MOMQ_HOME is touched) and prints counts:

    .venv/bin/python benchmarks/graph_script_roundtrip.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from momq.engines.base import ExecutionLimits  # noqa: E402
from momq.engines.falkordb import STAGING_MARK  # noqa: E402
from momq.engines.falkordb_server import FalkorDBServer  # noqa: E402
from momq.engines.ngql_emulation import NGQLEmulationEngine  # noqa: E402
from momq.ingest.cypher_script import load_cypher_script  # noqa: E402
from momq.ingest.ngql_script import load_ngql_script  # noqa: E402
from momq.ingest.script import ScriptError  # noqa: E402
from tests.ingest.roundtrip import CYPHER_SCRIPT, NGQL_SCRIPT, matches, queries  # noqa: E402


#: generous: the first nGQL query also builds the nGQL parser, which takes seconds on a busy machine
LIMITS = ExecutionLimits(timeout_s=60.0)


def run_queries(engine, graph: str, script: Path) -> tuple[int, int]:
    cases = queries(script)
    ok = 0
    for case in cases:
        try:
            ok += matches(case, engine.execute(graph, case["query"], LIMITS).rows)
        except Exception as exc:  # noqa: BLE001 - counted as a miss and shown
            print(f"  miss: {case['query']}: {exc}")
    return ok, len(cases)


def graphs(engine) -> list[str]:
    return sorted(g.decode() if isinstance(g, bytes) else g for g in engine._command("GRAPH.LIST"))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="momq-roundtrip-") as tmp:
        root = Path(tmp)
        server = FalkorDBServer(root / "falkordb")
        server.start()
        try:
            cypher = server.connect()
            ngql = NGQLEmulationEngine(port=server.status().port, server=server)
            report = load_cypher_script(cypher, CYPHER_SCRIPT, "movies")
            db = load_ngql_script(ngql, NGQL_SCRIPT, "basketball")
            c_ok, c_all = run_queries(cypher, "movies", CYPHER_SCRIPT)
            n_ok, n_all = run_queries(ngql, "basketball", NGQL_SCRIPT)
            multi_label = cypher.execute("movies", "MATCH (n) WHERE size(labels(n)) > 1 RETURN count(n)").rows[0][0]
            multi_tag = sum(1 for n in db.nodes if n.extra_labels)
            print(f"Cypher script {CYPHER_SCRIPT.name}: {report.statements} statements, "
                  f"{report.counters['nodes_created']} nodes ({multi_label} with several labels), "
                  f"{report.counters['relationships_created']} relationships, {report.csv_rows} CSV rows")
            print(f"  queries returning the expected rows: {c_ok}/{c_all}")
            print(f"nGQL script {NGQL_SCRIPT.name}: {len(db.nodes)} vertices ({multi_tag} with several tags), "
                  f"{len(db.edges)} edges")
            print(f"  queries returning the expected rows: {n_ok}/{n_all}")

            failed_clean = 0
            bad_cypher = root / "bad.cypher"
            bad_cypher.write_text("CREATE (:X);\nCREATE (:Y {v: });\n")
            before = graphs(cypher)
            try:
                load_cypher_script(cypher, bad_cypher, "movies")
            except ScriptError as exc:
                same = graphs(cypher) == before and run_queries(cypher, "movies", CYPHER_SCRIPT)[0] == c_all
                failed_clean += same
                print(f"failed Cypher load: {exc}\n  old graph intact and no staging graph left: {same}")
            bad_ngql = root / "bad.ngql"
            bad_ngql.write_text(NGQL_SCRIPT.read_text() + '\nINSERT EDGE follow(degree) VALUES "player100"->"ghost":(1);\n')
            try:
                load_ngql_script(ngql, bad_ngql, "basketball")
            except ScriptError as exc:
                same = graphs(cypher) == before and run_queries(ngql, "basketball", NGQL_SCRIPT)[0] == n_all
                failed_clean += same
                print(f"failed nGQL load: {exc}\n  old space intact and no staging graph left: {same}")
            leftovers = [g for g in graphs(cypher) if STAGING_MARK in g]
            print(f"failed loads that left nothing behind: {failed_clean}/2; staging graphs left: {len(leftovers)}")
            cypher.close()
            ngql.close()
            return 0 if (c_ok, n_ok, failed_clean) == (c_all, n_all, 2) and not leftovers else 1
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
