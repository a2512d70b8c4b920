"""``momq train``: train an adapter from a YAML config, every field overridable with ``--set field=value``.

Only parses options, reports and maps known errors to one line; the work is in ``momq.train.trainer``, imported
lazily so that ``momq --help`` stays fast. ``python -m momq.train CONFIG`` runs the same command, which is
the form ``accelerate launch -m momq.train CONFIG`` needs on several GPUs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(no_args_is_help=False)


def load_config(config: Optional[Path], assignments: List[str]):
    from momq.train.config import TrainConfig

    base = TrainConfig.from_yaml(config) if config is not None else TrainConfig()
    return base.with_overrides(assignments) if assignments else base


@app.command("train")
def train_cmd(
    config: Optional[Path] = typer.Argument(None, help="A YAML file of TrainConfig fields (defaults if omitted)."),
    assignments: List[str] = typer.Option([], "--set", "-s", help="field=value, e.g. -s max_steps=200 "
                                          "-s dialects=[mysql,cypher]; repeatable."),
    fresh: bool = typer.Option(False, "--fresh", help="Ignore checkpoints in the output folder (start over)."),
    show: bool = typer.Option(False, "--show-config", help="Print the resolved config and exit."),
) -> None:
    """Train (or resume) an adapter; the adapter lands in OUTPUT_DIR/adapter with train_summary.json."""
    from momq.train.trainer import train

    try:
        cfg = load_config(config, assignments)
    except (ValueError, OSError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    if show:
        typer.echo(json.dumps(cfg.to_dict(), indent=2))
        return
    try:
        result = train(cfg, resume=not fresh)
    except (ValueError, OSError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"trained {result.steps} steps on {result.examples} examples in {result.train_seconds:.0f} s "
               f"({result.tokens_per_second:.0f} tok/s), {result.trainable_params:,} trainable parameters; "
               f"adapter: {result.adapter_dir}")
