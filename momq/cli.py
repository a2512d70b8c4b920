"""The ``momq`` command line: one entry point that gathers each area's sub-commands and reports their failures.

Each area (engines, benchmark, adapter, inference, training, evaluation, serving) owns its own Typer app in ``<area>/cli.py``; this module mounts them,
sets up logging, and is the one place where an expected failure becomes one line on stderr (``error: ...``)
and an exit status; ``-v`` also logs the traceback. Expected failures are momq's typed errors (see
:data:`KNOWN_ERRORS`) and ``OSError`` (a missing or unwritable path); anything else is a bug and keeps its
traceback. Sub-commands therefore raise typed errors instead of catching and printing them.

Exit statuses: 0 done; 1 the command ran and its check failed (``bench verify`` found disagreeing gold queries;
``ask`` found no answer within its retries);
2 bad input (options, files, folders, ``$MOMQ_HOME``); 3 an engine or tool could not be used (not running,
stopped during the run, linter missing). It holds no command logic and never retries or hides a failure.
Sub-command modules must import heavy libraries (torch, transformers) lazily.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

import click
import typer
from typer.core import TyperGroup

from momq.adapter.cli import app as adapter_app
from momq.bench.cli import app as bench_app
from momq.engines.cli import app as engines_app
from momq.evaluate.cli import eval_cmd
from momq.experiment.cli import experiment_cmd
from momq.infer.cli import eval_perf
from momq.ingest.cli import app as db_app
from momq.serve.cli import ask_cmd, mcp_cmd, serve_cmd
from momq.train.cli import card_app, train_cmd

log = logging.getLogger(__name__)

EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENGINE = 3


@dataclass(frozen=True)
class KnownError:
    """An exception class (by module and name, so that nothing is imported to recognise it) and its exit status."""

    module: str
    name: str
    exit_code: int
    hint: str = ""

    def matches(self, exc: BaseException) -> bool:
        # a class whose module was never imported cannot have been raised: look it up without importing it
        cls = getattr(sys.modules.get(self.module), self.name, None)
        return isinstance(cls, type) and isinstance(exc, cls)


#: the failures reported as one line, first match wins
KNOWN_ERRORS: tuple[KnownError, ...] = (
    KnownError("momq.engines.base", "InvalidDatabase", EXIT_BAD_INPUT),
    # a SQL dump that reaches outside its database, or that the engine refused: the user's file, not the engine
    KnownError("momq.engines.sql_dump", "DumpRefused", EXIT_BAD_INPUT),
    KnownError("momq.engines.sql_dump", "DumpLoadFailed", EXIT_BAD_INPUT),
    KnownError("momq.engines.base", "EngineError", EXIT_ENGINE),
    KnownError("momq.ingest.script", "ScriptError", EXIT_BAD_INPUT),
    KnownError("momq.dialects.cypher_linter", "CypherLinterUnavailable", EXIT_ENGINE,
               "run `bash scripts/setup.sh` or pass --no-lint"),
    KnownError("momq.bench.records", "RecordError", EXIT_BAD_INPUT),
    KnownError("momq.schema.io", "SchemaFormatError", EXIT_BAD_INPUT),
    KnownError("momq.bench.folder", "BuildFolderError", EXIT_BAD_INPUT),
    KnownError("momq.bench.dataset", "BuildFormatError", EXIT_BAD_INPUT),
    KnownError("momq.train.trainer", "RunFolderError", EXIT_BAD_INPUT),
    KnownError("momq.train.model", "BaseModelError", EXIT_BAD_INPUT),
    KnownError("momq.train.ship", "ShipError", EXIT_BAD_INPUT),
    KnownError("momq.serve.connections", "ConnectionURLError", EXIT_BAD_INPUT),
    KnownError("momq.dialects.base", "UnknownDialectError", EXIT_BAD_INPUT),
    KnownError("momq.serve.config", "ServerConfigError", EXIT_BAD_INPUT),
    # a driver error that escaped its engine unwrapped (it should be EngineUnavailable): the server went away
    KnownError("redis.exceptions", "ConnectionError", EXIT_ENGINE,
               "the FalkorDB server stopped answering; check `momq engines status`"),
    KnownError("builtins", "OSError", EXIT_BAD_INPUT),
)


def describe(exc: BaseException) -> tuple[str, int] | None:
    """(one-line message, exit status) for an expected failure; None for anything else (a bug)."""
    known = next((k for k in KNOWN_ERRORS if k.matches(exc)), None)
    if known is None:
        return None
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        text = f"{exc.strerror}: {exc.filename}"
    else:
        text = str(exc).strip() or type(exc).__name__
    first, *rest = text.splitlines()
    if known.hint:
        first += f" ({known.hint})"
    if rest:
        first += f" [{len(rest)} more line(s) with -v]"
    return first, known.exit_code


class _ReportingGroup(TyperGroup):
    """The root command group: runs the sub-command and turns an expected failure into one line and a status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            described = describe(exc)
            if described is None:
                raise
            message, code = described
            log.debug("%s failed", ctx.command_path, exc_info=exc)
            typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code) from exc


app = typer.Typer(cls=_ReportingGroup, no_args_is_help=True,
                  help="MoMQ: one model for MySQL, PostgreSQL, Cypher and nGQL.")
app.add_typer(engines_app, name="engines", help="Start, stop and inspect the local database engines.")
app.add_typer(db_app, name="db", help="Load your own SQL dumps and graph scripts (Cypher, nGQL) into the local engines.")
app.add_typer(bench_app, name="bench", help="Build, verify and describe the multi-dialect benchmark.")
adapter_app.command("eval")(eval_perf)  # generation speed (momq.infer) beside the adapter's own benchmarks
app.add_typer(adapter_app, name="perf", help="Speed and memory benchmarks.")
app.command("train")(train_cmd)
app.command("eval")(eval_cmd)
app.command("experiment")(experiment_cmd)
app.command("ask")(ask_cmd)
app.command("serve")(serve_cmd)
app.command("mcp")(mcp_cmd)
app.add_typer(card_app, name="card", help="Shipped adapters: package with a model card, check, reproduce.")


@app.callback()
def _setup(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging (with tracebacks).")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
