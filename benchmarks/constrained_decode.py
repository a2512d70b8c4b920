"""Decode speed with and without grammar constraints, and grammar compile time with a real tokenizer.

Usage: ``.venv/bin/python benchmarks/constrained_decode.py BUILD_DIR [--items 8] [--max-new-tokens 48]
[--base smollm2-135m] [--threads 2]``. Runs the same test items per dialect through ``Generator`` (greedy,
prefix reuse, batch 8) twice -- ``constrain=False`` then ``constrain=True`` -- and prints per dialect: new
tokens, seconds, tokens/s for both, their ratio, and the grammar compile time (text build + llguidance
compile, with llguidance's tokenizer set-up the first time) for the model's tokenizer. Prompt prefill is included in both timings, as in evaluation.
"""

from __future__ import annotations

import argparse
import logging
import time

log = logging.getLogger("constrained_decode")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("build")
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--max-new-tokens", type=int, default=48)
    parser.add_argument("--base", default="smollm2-135m")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--dialects", default="mysql,postgresql,cypher,ngql")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    import torch

    from momq.bench.dataset import open_build
    from momq.dialects.prompt import TokenBudget
    from momq.infer.generate import GenerationRequest, Generator, GeneratorConfig
    from momq.train.model import load_base, resolve_base

    from transformers import AutoTokenizer

    torch.set_num_threads(args.threads)
    source = resolve_base(args.base)
    model = load_base(source)
    tokenizer = AutoTokenizer.from_pretrained(source.path, gguf_file=source.gguf_file)
    build = open_build(args.build)
    budget = TokenBudget(args.prompt_tokens, lambda text: len(tokenizer(text).input_ids))
    items = build.items("test")
    for dialect in args.dialects.split(","):
        mine = [it for it in items if it.dialect == dialect][: args.items]
        requests = [GenerationRequest.from_parts(build.prompt(it, budget), dialect,
                                                 build.database(it.db_id, dialect)) for it in mine]
        rates = {}
        for constrain in (False, True):
            gen = Generator(model, tokenizer, GeneratorConfig(max_new_tokens=args.max_new_tokens, batch_size=8,
                                                              constrain=constrain))
            if constrain:  # compile this dialect's grammars (one per schema) before timing decoding
                t0 = time.perf_counter()
                gen.grammar_processor(requests, prompt_len=0)
                compile_ms = (time.perf_counter() - t0) * 1000 / len({it.db_id for it in mine})
            spent = []
            if constrain:  # keep each batch's processor to read the time its masks took
                make = gen.grammar_processor

                def keep(*a, _make=make, **k):
                    spent.append(_make(*a, **k))
                    return spent[-1]

                gen.grammar_processor = keep
            t0 = time.perf_counter()
            outs = gen.generate(requests)
            seconds = time.perf_counter() - t0
            tokens = sum(o.new_tokens for o in outs)
            rates[constrain] = tokens / seconds
            log.info("%-10s constrain=%-5s %4d new tokens in %6.1f s = %6.2f tok/s; stopped %d/%d; masks %.1f s",
                     dialect, constrain, tokens, seconds, rates[constrain], sum(o.stopped for o in outs), len(outs),
                     sum(p.seconds for p in spent))
        log.info("%-10s ratio constrained/unconstrained %.3f; grammar build+compile %.0f ms per schema "
                 "(%d-token vocabulary)", dialect, rates[True] / rates[False], compile_ms, len(tokenizer))


if __name__ == "__main__":
    main()
