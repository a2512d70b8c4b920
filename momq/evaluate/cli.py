"""``momq eval``: score a model (a base with or without an adapter) on a split of a benchmark build.

Only parses options, prints the summary and maps known errors to one line; the work is in
``momq.evaluate.run``, imported lazily so that ``momq --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def eval_cmd(
    build: Path = typer.Option(Path("out/bench"), "--build", help="A benchmark build folder."),
    split: str = typer.Option("test", "--split", help="train, dev or test."),
    suite: Optional[Path] = typer.Option(None, "--suite", help="Evaluate an external suite's items JSONL instead."),
    suite_databases: Optional[Path] = typer.Option(None, "--databases", help="The suite's databases folder."),
    sql_dialect: str = typer.Option("mysql", "--sql-dialect", help="The SQL flavour of the suite's dumps."),
    adapter: Optional[Path] = typer.Option(None, "--adapter", help="An adapter folder (default: the bare base)."),
    base: str = typer.Option("smollm2-135m", "--base", help="Base model: an HF folder, a .gguf file or a hub id."),
    routing: Optional[str] = typer.Option(None, "--routing", help="known (default), soft, hard or none."),
    dialects: Optional[str] = typer.Option(None, "--dialects", help="Comma-separated dialects (default: all)."),
    max_items: Optional[int] = typer.Option(None, "--max-items", min=1, help="At most N items per dialect."),
    prompt_tokens: Optional[int] = typer.Option(None, "--prompt-tokens", help="Default: the adapter's training budget."),
    batch_size: int = typer.Option(8, "--batch-size", min=1),
    max_new_tokens: int = typer.Option(160, "--max-new-tokens", min=1),
    constrained: bool = typer.Option(False, "--constrained", help="Grammar-constrained decoding (dialect, schema)."),
    threads: int = typer.Option(0, "--threads", min=0),
    extra_columns: bool = typer.Option(False, "--extra-columns/--exact-columns",
                                       help="Count a prediction whose columns contain the gold's as a match "
                                            "(the convention of some public SQL suites); default: exact columns."),
    out: Optional[Path] = typer.Option(None, "--out", help="Folder for predictions, metrics and the report."),
    name: str = typer.Option("model", "--name", help="The method's name in the report."),
    curve: Optional[Path] = typer.Option(None, "--curve", help="Score every checkpoint of this training run "
                                         "instead (cached per checkpoint) and plot EX against examples seen."),
) -> None:
    """Generate for every item, run each prediction read-only on its engine, and report EX, validity and EM."""
    from momq.evaluate.run import EvalConfig, evaluate

    try:
        config = EvalConfig(build=str(build), split=split, suite=str(suite) if suite else None,
                            suite_databases=str(suite_databases) if suite_databases else None,
                            suite_sql_dialect=sql_dialect, adapter=str(adapter) if adapter else None, base_model=base,
                            routing=routing, dialects=tuple(dialects.split(",")) if dialects else None,
                            max_items=max_items, prompt_tokens=prompt_tokens, batch_size=batch_size,
                            max_new_tokens=max_new_tokens, threads=threads, out_dir=str(out) if out else None,
                            name=name, constrained=constrained, extra_columns=extra_columns)
        if curve is not None:
            _curve(curve, config, out)
            return
        result = evaluate(config)
    except (ValueError, OSError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    summary = result.summary
    typer.echo(f"{'dialect':<12} {'n':>5} {'EX':>7} {'valid':>7} {'EM':>7}")
    for dialect, row in summary["per_dialect"].items():
        typer.echo(f"{dialect:<12} {row['n']:>5} {100 * row['ex']:>6.1f}% {100 * row['valid_rate']:>6.1f}% "
                   f"{100 * row['em']:>6.1f}%")
    overall = summary["overall"]
    typer.echo(f"{'overall':<12} {overall['n']:>5} {100 * overall['ex']:>6.1f}% {100 * overall['valid_rate']:>6.1f}% "
               f"{100 * overall['em']:>6.1f}%   ({result.items_per_second:.2f} items/s generation)")
    if out:
        typer.echo(f"report: {out / 'report.md'}")


def _curve(run: Path, config, out: Optional[Path]) -> None:
    import dataclasses
    import json

    from momq.evaluate.curve import learning_curve

    points = learning_curve(run, dataclasses.replace(config, out_dir=None))
    for p in points:
        cells = "  ".join(f"{d} {100 * ex:5.1f}%" for d, ex in p["ex"].items())
        typer.echo(f"step {p['step']:>5} ({p['examples_seen']:>6} examples)  EX {cells}")
    if out is not None:
        from momq.evaluate.report import write_report

        out.mkdir(parents=True, exist_ok=True)
        (out / "curve.json").write_text(json.dumps(points, indent=2) + "\n", encoding="utf-8")
        last = json.loads((run / "train_summary.json").read_text()) if (run / "train_summary.json").is_file() else None
        write_report(out, {}, learning_curve=[(p["examples_seen"], p["ex"]) for p in points],
                     title=f"learning curve of {run}" + (f" ({last['steps']} steps)" if last else ""))
        typer.echo(f"curve: {out / 'learning_curve.png'}")
