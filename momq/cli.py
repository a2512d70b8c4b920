"""The ``momq`` command line: one entry point that gathers each area's sub-commands.

Each area (engines, benchmark, adapter, inference) owns its own Typer app in ``<area>/cli.py``; this module only mounts
them and sets up logging. Sub-command modules must import heavy libraries (torch, transformers) lazily.
"""

from __future__ import annotations

import logging

import typer

from momq.adapter.cli import app as adapter_app
from momq.bench.cli import app as bench_app
from momq.engines.cli import app as engines_app
from momq.evaluate.cli import eval_cmd
from momq.infer.cli import eval_perf
from momq.train.cli import train_cmd

app = typer.Typer(help="MoMQ: one model for MySQL, PostgreSQL, Cypher and nGQL.", no_args_is_help=True)
app.add_typer(engines_app, name="engines", help="Start, stop and inspect the local database engines.")
app.add_typer(bench_app, name="bench", help="Build, verify and describe the multi-dialect benchmark.")
adapter_app.command("eval")(eval_perf)  # generation speed (momq.infer) beside the adapter's own benchmarks
app.add_typer(adapter_app, name="perf", help="Speed and memory benchmarks.")
app.command("train")(train_cmd)
app.command("eval")(eval_cmd)


@app.callback()
def _setup(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
