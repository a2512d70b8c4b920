"""``momq engines up|down|status``: start, stop and inspect the local database servers.

A thin layer over :mod:`momq.engines.manager`; progress goes to logging, results to the terminal (a table, or
JSON with ``status --json``). It does not load data or run queries, and it does not catch errors: the manager's
typed ones become one line in ``momq.cli``.
"""

from __future__ import annotations

import json
from typing import List, Optional

import typer

app = typer.Typer(no_args_is_help=True)

_NAMES = typer.Argument(None, help="Engines to act on (mariadb, postgresql, falkordb); default: all.")


def _names(names: Optional[List[str]]) -> Optional[List[str]]:
    """The engine names given (None: all), or a usage error naming the unknown ones."""
    from momq.engines.manager import SERVERS

    unknown = [n for n in names or () if n not in SERVERS]
    if unknown:
        raise typer.BadParameter(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(SERVERS)}",
                                 param_hint="NAMES")
    return names or None


def _ports(specs: list[str]) -> dict[str, int]:
    from momq.engines.manager import SERVERS

    ports = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        if not sep or not value.isdigit() or not 0 < int(value) < 65536:
            raise typer.BadParameter(f"--port expects NAME=PORT (e.g. mariadb=3307), got {spec!r}")
        if name not in SERVERS:
            raise typer.BadParameter(f"--port: unknown engine {name!r}; known: {', '.join(SERVERS)}")
        ports[name] = int(value)
    return ports


@app.command()
def up(names: Optional[List[str]] = _NAMES,
       port: List[str] = typer.Option([], "--port", help="NAME=PORT; repeatable. Default: last port or a free one."),
       home: Optional[str] = typer.Option(None, help="State root (default $MOMQ_HOME or ~/.momq).")) -> None:
    """Start the engines (idempotent: running ones are left as they are)."""
    from momq.engines.manager import EngineManager

    reports = EngineManager(home).up(_names(names), _ports(port))
    for rep in reports:
        st = rep.status
        how = "already running" if rep.already_running else (
            f"started in {rep.start_s:.2f} s" + (" (cold: data directory initialised)" if rep.initialised else ""))
        typer.echo(f"{st.name:<11} {how}; pid {st.pid}, 127.0.0.1:{st.port}, {st.version}")


@app.command()
def down(names: Optional[List[str]] = _NAMES,
         home: Optional[str] = typer.Option(None, help="State root (default $MOMQ_HOME or ~/.momq).")) -> None:
    """Stop the engines and make sure none of their processes is left."""
    from momq.engines.manager import EngineManager

    stopped = EngineManager(home).down(_names(names))
    typer.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@app.command()
def status(names: Optional[List[str]] = _NAMES,
           as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
           home: Optional[str] = typer.Option(None, help="State root (default $MOMQ_HOME or ~/.momq).")) -> None:
    """Show each engine: running, pid, port, version, data directory and the start time measured by `up`."""
    from momq.engines.manager import EngineManager

    rows = EngineManager(home).status(_names(names))
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("engine", "running", "pid", "port", "version", "start (s)", "data dir")
    for row in rows:
        start = "" if row["start_s"] is None else f"{row['start_s']:.2f}" + (" cold" if row["initialised_on_start"]
                                                                           else "")
        table.add_row(row["name"], "yes" if row["running"] else "no", str(row["pid"] or ""), str(row["port"] or ""),
                      (row["version"] or "") + (f" ({row['detail']})" if row["detail"] else ""), start,
                      row["data_dir"] or "")
    Console().print(table)
