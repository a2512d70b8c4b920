"""``momq db load PATH --dialect cypher|ngql --name NAME``: load a user's graph script into the local engines.

A thin layer over :mod:`momq.ingest.cypher_script` and :mod:`momq.ingest.ngql_script` on the local FalkorDB
server (``momq engines up falkordb``). Errors are not caught here: a :class:`~momq.ingest.script.ScriptError`
(exit 2) or an engine's typed error becomes one ``error:`` line in ``momq.cli``. It does not load SQL dumps.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(no_args_is_help=True)


@app.command()
def load(path: Path = typer.Argument(..., help="The script: Cypher (.cypher) or nGQL (.ngql)."),
         dialect: str = typer.Option(..., "--dialect", help="cypher (into FalkorDB) or ngql (into the emulation)."),
         name: Optional[str] = typer.Option(None, "--name", help="The graph / space to create or replace "
                                            "(default: the file's stem; for nGQL the space the script creates)."),
         space: Optional[str] = typer.Option(None, "--space", help="nGQL: which space of the script to load."),
         home: Optional[str] = typer.Option(None, help="State root (default $MOMQ_HOME or ~/.momq).")) -> None:
    """Load a graph script; the graph NAME is replaced only when the whole script loaded."""
    from momq.engines.base import EngineUnavailable
    from momq.engines.manager import EngineManager
    from momq.schema.types import check_identifier

    if dialect not in ("cypher", "ngql"):
        raise typer.BadParameter(f"--dialect must be cypher or ngql, got {dialect!r}", param_hint="--dialect")
    if not path.is_file():
        raise typer.BadParameter(f"no file {path}", param_hint="PATH")
    if name is not None:
        try:
            check_identifier(name, "graph")
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--name") from None
    manager = EngineManager(home)
    server = manager.server("falkordb")
    if server.pid() is None:
        raise EngineUnavailable(f"the falkordb server is not running in {manager.home}; start it with "
                                f"`momq engines up falkordb`")
    if dialect == "cypher":
        from momq.ingest.cypher_script import load_cypher_script

        target = name or path.stem
        check_identifier(target, "graph")
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
