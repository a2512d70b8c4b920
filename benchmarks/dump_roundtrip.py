"""SQL dumps as the real tools write them, loaded by momq, queried against the database they came from.

For each case a source database is built on our private servers (by the real ``mariadb`` client for MySQL
files; by psycopg's simple-query protocol for PostgreSQL files), dumped where the case says so by the real
``pg_dump`` (plain SQL) or ``mariadb-dump``, loaded with ``Engine.load_dump`` under another name, and then
every table and view is read on both (``SELECT * ... ORDER BY`` every column; the loaded side through the
read-only account) and the introspected schemas are compared. Prints the counts; exit status 1 when any dump
fails to load or any query differs.

    MOMQ_HOME=/tmp/momq-dumps .venv/bin/python benchmarks/dump_roundtrip.py

The dumps cover every part of the relational schema model (``tests/fixtures/dumps/*_source.sql``) and the
shape public benchmarks ship (``*_benchmark_style.sql``: DROP DATABASE IF EXISTS headers, expressions in
INSERTs, schema-qualified tables). This script starts the engines it needs under ``$MOMQ_HOME`` and stops them.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "dumps"


@dataclass(frozen=True)
class Case:
    name: str  # also the loaded database's name
    dialect: str  # "mysql" or "postgresql"
    source_file: str  # builds the source database (a file under FIXTURES)
    tool_args: tuple[str, ...] | None = None  # dump with the real tool and these options; None: the file is the dump


CASES = (
    Case("pgd_plain", "postgresql", "pg_source.sql", ()),
    Case("pgd_inserts", "postgresql", "pg_source.sql", ("--inserts",)),
    Case("pgd_create", "postgresql", "pg_source.sql", ("--create", "--column-inserts")),
    Case("pgd_clean", "postgresql", "pg_source.sql", ("--clean", "--if-exists", "--no-owner")),
    Case("pg_bench", "postgresql", "pg_benchmark_style.sql"),
    Case("myd_plain", "mysql", "mysql_source.sql", ()),
    Case("myd_full", "mysql", "mysql_source.sql", ("--databases", "--routines", "--triggers", "--events")),
    Case("myd_rows", "mysql", "mysql_source.sql", ("--skip-extended-insert", "--complete-insert", "--routines")),
    Case("my_bench", "mysql", "mysql_benchmark_style.sql"),
)


#: queries beyond the full tables and views: joins across schemas, aggregates, the time types, load-time values
EXTRA_QUERIES = {
    "pg_source.sql": (
        "SELECT c.name, r.manager, g.name FROM public.customer c LEFT JOIN sales.region r ON r.id = c.region_id "
        "LEFT JOIN geo.region g ON (g.country, g.code) = (r.country, r.code) ORDER BY 1",
        "SELECT tier, count(*), sum(balance), max(seen) FROM public.customer GROUP BY tier ORDER BY 1",
        "SELECT id, trial + interval '1 day', opens + interval '1 hour', tags[1], cardinality(tags) "
        "FROM public.customer ORDER BY id",
        "SELECT customer_id, note FROM public.audit ORDER BY 1",
    ),
    "pg_benchmark_style.sql": (
        "SELECT e.name, d.name FROM hr.employee e LEFT JOIN hr.department d ON d.id = e.department_id ORDER BY 1",
        "SELECT name, birth_date = CURRENT_DATE - INTERVAL '15 YEARS', probation > INTERVAL '60 days' "
        "FROM hr.employee ORDER BY 1",
    ),
    "mysql_source.sql": (
        "SELECT c.name, r.name FROM customer c JOIN region r ON r.country = c.country AND r.code = c.code "
        "ORDER BY 1",
        "SELECT tier, COUNT(*), SUM(balance), MAX(seen) FROM customer GROUP BY tier ORDER BY 1",
        "SELECT id, TIME_TO_SEC(opens), JSON_EXTRACT(extra, '$.k[1]'), HEX(name) FROM customer ORDER BY id",
        "SELECT customer_id, note FROM audit ORDER BY 1",
    ),
    "mysql_benchmark_style.sql": (
        "SELECT t.name, COUNT(e.student) FROM teacher t LEFT JOIN course c ON c.teacher_id = t.id "
        "LEFT JOIN enrolment e ON e.course_id = c.id GROUP BY t.name ORDER BY 1",
        "SELECT name, hired = CURRENT_DATE - INTERVAL 15 YEAR, office_hours FROM teacher ORDER BY id",
    ),
}


@dataclass
class Outcome:
    case: Case
    loaded: bool
    queries: int = 0
    equal: int = 0
    schema_equal: bool = False
    detail: str = ""


def pg_bin(name: str) -> str:
    from momq.engines.postgres import postgres_bin_dir

    return str(postgres_bin_dir() / name)


# ----------------------------------------------------------------------------------------------- sources
def _source_name(case: Case) -> str:
    return f"src_{case.name}"


def build_source(case: Case, mariadb, postgres) -> str:
    """Create the case's source database; returns its name (a benchmark-style MySQL file names its own)."""
    text = (FIXTURES / case.source_file).read_text(encoding="utf-8")
    if case.dialect == "postgresql":
        import psycopg
        from psycopg import sql

        name = _source_name(case)
        with psycopg.connect(host=postgres.host, port=postgres.port, user=postgres.user, password=postgres.password,
                             dbname=postgres.maintenance_db, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        with psycopg.connect(host=postgres.host, port=postgres.port, user=postgres.user, password=postgres.password,
                             dbname=name, autocommit=True) as conn:
            conn.execute(text)  # no parameters: the simple-query protocol, several statements at once (as psql)
        return name
    from momq.engines.sql_dump import read_dump

    own = read_dump(text, "mysql").database
    name = own or _source_name(case)
    if own is None:
        _mariadb_client(mariadb, ["-e", f"DROP DATABASE IF EXISTS `{name}`; CREATE DATABASE `{name}`"])
    _mariadb_client(mariadb, [name] if own is None else [], stdin=text)
    return name


def _mariadb_client(engine, args: list[str], stdin: str | None = None) -> str:
    argv = ["mariadb", "--protocol=TCP", "-h", engine.host, "-P", str(engine.port), "-u", engine.user,
            f"-p{engine.password}", "--default-character-set=utf8mb4", *args]
    proc = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise RuntimeError(f"mariadb client failed: {proc.stderr.strip()}")
    return proc.stdout


def dump_text(case: Case, source: str, mariadb, postgres) -> str:
    if case.tool_args is None:
        return (FIXTURES / case.source_file).read_text(encoding="utf-8")
    if case.dialect == "postgresql":
        argv = [pg_bin("pg_dump"), "-h", postgres.host, "-p", str(postgres.port), "-U", postgres.user,
                "--no-password", *case.tool_args, source]
        env = None
    else:
        argv = ["mariadb-dump", "--protocol=TCP", "-h", mariadb.host, "-P", str(mariadb.port), "-u", mariadb.user,
                f"-p{mariadb.password}", *case.tool_args, source]
        env = None
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {proc.stderr.strip()}")
    return proc.stdout


# ----------------------------------------------------------------------------------------------- comparison
def _admin_rows(engine, db: str, query: str) -> list[tuple]:
    if engine.dialect == "postgresql":
        import psycopg

        with psycopg.connect(host=engine.host, port=engine.port, user=engine.user, password=engine.password,
                             dbname=db, autocommit=True) as conn:
            return [tuple(r) for r in conn.execute(query).fetchall()]
    import pymysql

    conn = pymysql.connect(host=engine.host, port=engine.port, user=engine.user, password=engine.password,
                           database=db, charset="utf8mb4")
    try:
        with conn.cursor() as cur:
            cur.execute(query)
            return [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()


def comparison_queries(engine, source: str) -> list[str]:
    """Every table and view in full, in a fixed order (then the case's EXTRA_QUERIES)."""
    quote = (lambda n: f"`{n}`") if engine.dialect == "mysql" else (lambda n: f'"{n}"')
    spec = engine.schema(source)
    out = []
    for rel in (*spec.tables, *spec.views):
        name = f"{quote(rel.schema)}.{quote(rel.name)}" if rel.schema else quote(rel.name)
        order = ", ".join(str(k + 1) for k in range(len(rel.columns)))
        out.append(f"SELECT * FROM {name} ORDER BY {order}")
    return out


def _shape(spec):
    """A schema without what legitimately differs between two databases: creation order (a dump creates in
    dependency order) and view texts (MariaDB qualifies them with the database's name)."""
    return (sorted((dataclasses.replace(t, rows=[]) for t in spec.tables), key=lambda t: t.qualified_name),
            sorted((dataclasses.replace(v, definition="") for v in spec.views), key=lambda v: v.qualified_name))


def run_case(case: Case, mariadb, postgres) -> Outcome:
    from momq.engines.base import EngineError

    engine = postgres if case.dialect == "postgresql" else mariadb
    try:
        source = build_source(case, mariadb, postgres)
        text = dump_text(case, source, mariadb, postgres)
    except Exception as exc:  # noqa: BLE001 - reported as this case's failure
        return Outcome(case, False, detail=f"could not make the dump: {exc}")
    try:
        engine.load_dump(case.name, text, source=f"{case.name} ({case.source_file})")
    except EngineError as exc:
        return Outcome(case, False, detail=str(exc))
    outcome = Outcome(case, True)
    for query in (*comparison_queries(engine, source), *EXTRA_QUERIES.get(case.source_file, ())):
        outcome.queries += 1
        want = _admin_rows(engine, source, query)
        got = [tuple(r) for r in engine.execute(case.name, query).rows]
        if got == want:
            outcome.equal += 1
        elif not outcome.detail:
            outcome.detail = f"{query}: {len(got)} rows loaded vs {len(want)} in the source"
    outcome.schema_equal = _shape(engine.schema(case.name)) == _shape(engine.schema(source))
    if not outcome.schema_equal and not outcome.detail:
        outcome.detail = "introspected schemas differ"
    return outcome


def run_all(mariadb, postgres, cases=CASES) -> list[Outcome]:
    return [run_case(case, mariadb, postgres) for case in cases]


def report(outcomes: list[Outcome]) -> str:
    lines = [f"{'case':<12} {'dialect':<11} {'dump':<32} loaded  queries equal  schema"]
    for o in outcomes:
        how = "hand-written" if o.case.tool_args is None else (
            ("pg_dump " if o.case.dialect == "postgresql" else "mariadb-dump ") + " ".join(o.case.tool_args))
        lines.append(f"{o.case.name:<12} {o.case.dialect:<11} {how[:32]:<32} {'yes' if o.loaded else 'NO':<7} "
                     f"{o.equal:>3}/{o.queries:<3}       {'same' if o.schema_equal else 'DIFF'}"
                     + (f"  {o.detail[:150]}" if o.detail else ""))
    loaded = sum(o.loaded for o in outcomes)
    lines.append(f"dumps loaded: {loaded}/{len(outcomes)}; queries equal: {sum(o.equal for o in outcomes)}/"
                 f"{sum(o.queries for o in outcomes)}; schemas equal: {sum(o.schema_equal for o in outcomes)}/"
                 f"{len(outcomes)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from momq.engines.manager import EngineManager

    manager = EngineManager()
    manager.up(["mariadb", "postgresql"])
    try:
        mariadb = manager.server("mariadb").connect()
        postgres = manager.server("postgresql").connect()
        outcomes = run_all(mariadb, postgres)
    finally:
        manager.down(["mariadb", "postgresql"])
    print(report(outcomes))
    ok = all(o.loaded and o.equal == o.queries and o.schema_equal for o in outcomes)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
