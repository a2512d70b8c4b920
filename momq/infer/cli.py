"""``momq perf eval``: the generation speed benchmark's command (registered on the ``perf`` app in ``momq.cli``).

Only parses options and prints; the measuring lives in ``momq.infer.perf`` and is imported lazily so that
``momq --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer


def eval_perf(
    bench: Path = typer.Option(..., "--bench", exists=True, file_okay=False,
                               help="A finished benchmark build (momq bench build --out DIR)."),
    split: str = typer.Option("test", "--split", help="Which split's items to use."),
    items: int = typer.Option(48, "--items", "-n", min=1, help="The first N items of the split."),
    batch_size: int = typer.Option(8, "--batch-size", min=1),
    max_new_tokens: int = typer.Option(160, "--max-new-tokens", min=1),
    threads: int = typer.Option(2, "--threads", min=1, help="torch.set_num_threads."),
    naive: bool = typer.Option(True, "--naive/--no-naive", help="Also time the one-at-a-time loop (slowest)."),
    base: bool = typer.Option(True, "--base/--no-base", help="Also run the bare base model (decode comparison)."),
    decode_steps: int = typer.Option(40, "--decode-steps", min=1, help="Alternating decode steps per model."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    adapter: Path = typer.Option(None, "--adapter", exists=True, file_okay=False,
                                 help="A trained adapter folder (default: a fresh MoMQ adapter); prompts are "
                                      "fitted to its training budget."),
) -> None:
    """Items/s of naive loop vs plain batched generate vs the prefix-reusing Generator on SmolLM2-135M + MoMQ."""
    from momq.infer.perf import EvalPerfSettings, run

    result = run(EvalPerfSettings(bench=bench, split=split, items=items, batch_size=batch_size,
                                  max_new_tokens=max_new_tokens, threads=threads, naive=naive, base=base,
                                  decode_steps=decode_steps, adapter=adapter))
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    d = result["data"]
    table = Table(title=f"Generation on {d['items']} items ({d['distinct_prefixes']} prefixes, prompt median "
                        f"{d['prompt_tokens_median']} tokens, prefix {100 * d['prefix_token_share']:.0f}%), "
                        f"batch {batch_size}, max {max_new_tokens} new tokens")
    for col in ("mode", "wall (s)", "items/s", "new tokens", "stopped", "prefill (s)", "decode (s)", "decode tok/s"):
        table.add_column(col)
    names = {"naive": "(i) naive loop", "batched": "(ii) plain batched", "generator": "(iii) Generator",
             "decode_momq": "(iv) Generator, MoMQ, interleaved", "decode_base": "(iv) Generator, bare base, interleaved"}
    for key, m in result["modes"].items():
        dec = m["decode_tokens_per_s"]
        table.add_row(names[key], f"{m['wall_s']:.1f}", f"{m['items_per_s']:.3f}", str(m.get("new_tokens", "")),
                      f"{m['stopped']}/{d['items']}" if "stopped" in m else "", f"{m['prefill_s']:.1f}",
                      f"{m['decode_s']:.1f}",
                      f"{dec:.1f}" if dec else "-")
    console = Console(width=160)
    console.print(table)
    r = result["ratios"]
    line = f"(iii)/(ii) = {r['generator_over_batched']:.2f}x (target >= 3)"
    if "generator_over_naive" in r:
        line += f"   (iii)/(i) = {r['generator_over_naive']:.2f}x"
    if r.get("momq_decode_over_base") is not None:
        line += f"   decode MoMQ/base = {r['momq_decode_over_base']:.2f}x (target >= 0.9)"
    if "decode_steps" in result:
        ds = result["decode_steps"]
        line += (f"   decode step median MoMQ/base = {ds['momq_over_base_tokens_per_s']:.2f}x "
                 f"({1000 * ds['momq_step_s']:.0f} vs {1000 * ds['base_step_s']:.0f} ms, batch {ds['batch']}, "
                 f"{ds['steps']} alternating steps)")
    console.print(line)
    console.print("identical token ids: " + ", ".join(f"{k} {v}" for k, v in result["identical_outputs"].items()))
    mach = result["machine"]
    console.print(f"machine: {mach['cores']} cores, {mach['threads']} threads, load average before "
                  f"{mach['loadavg_before'][0]:.1f}, after {mach['loadavg_after'][0]:.1f}")
