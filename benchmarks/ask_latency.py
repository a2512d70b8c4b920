"""Latency of `momq ask` split into introspection / generation / validation / execution, cold and warm.

Cold: a fresh schema cache (live introspection with sample values) and the first question after the model
loaded. Warm: the same session again (schema from the memory cache, the model's weights already in use). The
model load is reported on its own. Engines: our local servers in $MOMQ_HOME, started on demand, serving the
demo database named by --db. Prints one JSON object.

    MOMQ_HOME=/tmp/momq-ask .venv/bin/python benchmarks/ask_latency.py --db demo:company --dialect mysql -n 3
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import time

QUESTIONS = [
    "How many employees are there?",
    "List the names of all departments.",
    "Which projects have a budget over 100000?",
    "What is the average salary of employees?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="demo:company")
    parser.add_argument("--dialect", default=None)
    parser.add_argument("--base", default=None)
    parser.add_argument("--adapter", default=None)
    parser.add_argument("-n", type=int, default=3, help="warm questions")
    parser.add_argument("--retries", type=int, default=0)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import torch

    from momq.serve.connections import parse_url
    from momq.serve.live_schema import SchemaCache
    from momq.serve.model import QueryModel
    from momq.serve.session import Session

    session = Session(parse_url(args.db, args.dialect), SchemaCache())
    session.check()  # starts the demo engine (not timed: engine start-up is `momq engines up`'s figure)
    t0 = time.monotonic()
    model = QueryModel.load(args.base, args.adapter, max_new_tokens=args.max_new_tokens)
    load_s = time.monotonic() - t0
    propose = model.proposer(session.dialect, session.schema()[0])

    def one(question: str) -> dict:
        answer = session.ask(question, propose, retries=args.retries, budget=model.budget)
        return {**{k: round(v, 3) for k, v in answer.timings.items()}, "attempts": len(answer.attempts),
                "found": answer.found}

    cold = one(QUESTIONS[0])
    warm = [one(QUESTIONS[(k + 1) % len(QUESTIONS)]) for k in range(args.n)]
    session.close()
    stages = ("introspection", "generation", "validation", "execution")
    print(json.dumps({
        "db": args.db, "dialect": session.dialect, "base": model.base, "adapter": str(model.adapter),
        "threads": torch.get_num_threads(), "model_load_s": round(load_s, 2), "cold": cold,
        "warm_median": {s: round(statistics.median(w[s] for w in warm), 3) for s in stages},
        "warm": warm,
    }, indent=1))


if __name__ == "__main__":
    main()
