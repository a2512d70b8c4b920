"""``momq experiment CONFIG``: train and evaluate every run of an experiment that is not done yet, then write
``results/<name>/``; ``--status`` only lists what is done and what is missing.

Only parses options and reports; the work is in ``momq.experiment.runner``, imported lazily.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import typer


def experiment_cmd(
    config: Path = typer.Argument(..., help="An experiment YAML (see configs/experiment-paper.yaml)."),
    results: Optional[Path] = typer.Option(None, "--results", help="Where the aggregate goes (default results/NAME)."),
    only: List[str] = typer.Option([], "--only", help="Run only these runs (repeatable), e.g. momq.paper-like."),
    max_runs: Optional[int] = typer.Option(None, "--max-runs", min=1, help="At most N new runs in this sitting."),
    status: bool = typer.Option(False, "--status", help="List done and missing runs, run nothing."),
) -> None:
    """Runs are cached under $MOMQ_HOME/experiments/NAME/ and resume after an interruption."""
    from momq.experiment.config import ExperimentConfig
    from momq.experiment.runner import run_experiment, run_status

    try:
        cfg = ExperimentConfig.from_yaml(config)
    except (ValueError, OSError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    home = Path(os.environ.get("MOMQ_HOME", Path.home() / ".momq"))
    target = results or Path("results") / cfg.name
    if status:
        for name, st in run_status(cfg, home).items():
            state = "done" if st["evaluated"] else "trained, not evaluated" if st["trained"] else "missing"
            typer.echo(f"{name:<32} {state}")
        return
    try:
        out = run_experiment(cfg, home, target, only=only or None, max_runs=max_runs)
    except ValueError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"{len(out['results'])} run(s) finished; results in {target}")
    if out["claim"] is not None:
        c = out["claim"]
        typer.echo(f"paper's claim (MoMQ >= LoRA + 3 EX points on Cypher/nGQL, paper-like): "
                   f"{c['low_resource_ex_gain_points']:+.2f} points, {'met' if c['met'] else 'NOT met'}")
    if out["missing"]:
        typer.echo("missing: " + ", ".join(out["missing"]))
