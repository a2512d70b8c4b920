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


card_app = typer.Typer(no_args_is_help=True, help="Package a trained adapter with its model card; check; reproduce.")


@card_app.command("ship")
def card_ship(
    run: Path = typer.Argument(..., help="A finished `momq train` run folder."),
    evaluation: Path = typer.Argument(..., help="The `momq eval --out` folder of that adapter."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Default: the shipped adapter's folder in momq."),
    eval_command: str = typer.Option("", "--eval-command", help="The exact eval command, for the card."),
    constrained: Optional[Path] = typer.Option(None, "--constrained",
                                               help="The `momq eval --constrained --out` folder of that adapter."),
    constrained_command: str = typer.Option("", "--constrained-command", help="Its exact eval command."),
) -> None:
    """Write adapter (bf16), configs and CARD.md/card.json into DEST, then check the package."""
    from momq.adapters import shipped_adapter
    from momq.train.ship import ship

    out = ship(run, evaluation, dest or shipped_adapter(), eval_command=eval_command,
               constrained_eval_dir=constrained, constrained_eval_command=constrained_command)
    typer.echo(f"shipped {out}")


@card_app.command("check")
def card_check(folder: Optional[Path] = typer.Argument(None, help="Default: the shipped adapter.")) -> None:
    """Check a shipped package's consistency (config, shapes, dialects, base identity) without loading a model."""
    from momq.adapters import shipped_adapter
    from momq.train.ship import check_package

    problems = check_package(folder or shipped_adapter())
    for p in problems:
        typer.secho(p, fg=typer.colors.RED, err=True)
    if problems:
        raise typer.Exit(1)
    typer.echo("consistent")


@card_app.command("reproduce")
def card_reproduce(
    folder: Optional[Path] = typer.Argument(None, help="Default: the shipped adapter."),
    build: Optional[str] = typer.Option(None, "--build", help="Default: the card's build folder."),
    tolerance: float = typer.Option(0.02, "--tolerance", help="Largest EX difference per dialect that passes."),
) -> None:
    """Re-run the card's evaluation on the running engines and compare EX per dialect (exit 1 if off)."""
    from momq.adapters import shipped_adapter
    from momq.train.ship import reproduce

    out = reproduce(folder or shipped_adapter(), build=build, tolerance=tolerance)
    for key, rows in out["evaluations"].items():
        typer.echo("constrained decoding" if key.endswith("constrained") else "free decoding")
        for d, row in rows.items():
            now = "-" if row["now"] is None else f"{100 * row['now']:.1f}%"
            typer.echo(f"  {d:<12} card {100 * row['card']:.1f}%  now {now}")
    if not out["within_tolerance"]:
        typer.secho(f"EX differs from the card by more than {tolerance}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
