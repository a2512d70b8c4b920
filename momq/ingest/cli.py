"""``momq db load PATH --dialect mysql|postgresql|cypher|ngql --name NAME``: load a user's SQL dump or graph
script into the local engines.

A thin layer: SQL dumps go to the engine's own ``load_dump`` (:mod:`momq.engines.sql_dump`: screened, run by a
loader account, swapped in) on the local MariaDB / PostgreSQL server; graph scripts to
:mod:`momq.ingest.cypher_script` and :mod:`momq.ingest.ngql_script` on the local FalkorDB server. Errors are not
caught here: a :class:`~momq.ingest.script.ScriptError`, a refused or failing dump (exit 2) or an engine's typed
error (exit 3) becomes one ``error:`` line in ``momq.cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(no_args_is_help=True)

#: dialect -> the local server that loads it
SERVER_OF = {"mysql": "mariadb", "postgresql": "postgresql", "cypher": "falkordb", "ngql": "falkordb"}
_ENGINE_NAME = {"mysql": "MariaDB", "postgresql": "PostgreSQL"}


def _default_name(path: Path, dialect: str) -> str:
    """The file's stem, without a ``.mysql`` / ``.postgresql`` suffix (``shop.mysql.sql`` -> ``shop``)."""
    return path.stem.removesuffix(f".{dialect}")


@app.command()
def load(path: Path = typer.Argument(..., help="The dump (.sql) or script: Cypher (.cypher) or nGQL (.ngql)."),
         dialect: str = typer.Option(..., "--dialect", help="mysql (into MariaDB), postgresql (into PostgreSQL), "
                                     "cypher (into FalkorDB) or ngql (into the emulation)."),
         name: Optional[str] = typer.Option(None, "--name", help="The database / graph / space to create or "
                                            "replace (default: the file's stem; for nGQL the space the script "
                                            "creates)."),
         space: Optional[str] = typer.Option(None, "--space", help="nGQL: which space of the script to load."),
         home: Optional[str] = typer.Option(None, help="State root (default $MOMQ_HOME or ~/.momq).")) -> None:
    """Load a SQL dump or graph script; NAME is replaced only when the whole of it loaded."""
    from momq.engines.base import EngineUnavailable
    from momq.engines.manager import EngineManager
    from momq.schema.types import check_identifier

    if dialect not in SERVER_OF:
        raise typer.BadParameter(f"--dialect must be one of {', '.join(SERVER_OF)}, got {dialect!r}",
                                 param_hint="--dialect")
    if not path.is_file():
        raise typer.BadParameter(f"no file {path}", param_hint="PATH")
    if space is not None and dialect != "ngql":
        raise typer.BadParameter("--space is for nGQL scripts only", param_hint="--space")
    what = "database" if dialect in _ENGINE_NAME else "graph"
    if name is not None:
        try:
            check_identifier(name, what)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--name") from None
    manager = EngineManager(home)
    server = manager.server(SERVER_OF[dialect])
    if server.pid() is None:
        raise EngineUnavailable(f"the {SERVER_OF[dialect]} server is not running in {manager.home}; start it "
                                f"with `momq engines up {SERVER_OF[dialect]}`")
    if dialect in _ENGINE_NAME:
        from momq.ingest.script import read_script

        target = name or _default_name(path, dialect)
        try:
            check_identifier(target, what)
        except ValueError as exc:
            raise typer.BadParameter(f"{exc}; pass --name", param_hint="PATH") from None
        text = read_script(path)
        with server.connect() as engine:
            dump = engine.load_dump(target, text, source=str(path))
            spec = engine.schema(target)
        skipped = sum(dump.skipped.values())
        typer.echo(f"loaded {path} into {_ENGINE_NAME[dialect]} database {target}: {len(dump.to_run)} statements "
                   f"run, {skipped} skipped, {len(spec.tables)} tables, {len(spec.views)} views")
    elif dialect == "cypher":
        from momq.ingest.cypher_script import load_cypher_script

        target = name or path.stem
        try:
            check_identifier(target, what)
        except ValueError as exc:
            raise typer.BadParameter(f"{exc}; pass --name", param_hint="PATH") from None
        with server.connect() as engine:
            report = load_cypher_script(engine, path, target)
        c = report.counters
        typer.echo(f"loaded {path} into FalkorDB graph {target}: {report.statements} statements, "
                   f"{c.get('nodes_created', 0)} nodes and {c.get('relationships_created', 0)} relationships "
                   f"created, {report.csv_rows} CSV rows, {report.seconds:.2f} s")
    else:
        from momq.engines.ngql_emulation import NGQLEmulationEngine
        from momq.engines.process import LOOPBACK
        from momq.ingest.ngql_script import load_ngql_script

        with NGQLEmulationEngine(LOOPBACK, server.status().port, server=server) as engine:
            db = load_ngql_script(engine, path, name, space)
        multi = sum(1 for n in db.nodes if n.extra_labels)
        typer.echo(f"loaded {path} into the nGQL emulation as space {db.name}: {len(db.node_types)} tags, "
                   f"{len(db.edge_types)} edge types, {len(db.nodes)} vertices ({multi} with several tags), "
                   f"{len(db.edges)} edges")
