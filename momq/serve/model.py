"""The query model for serving: the base LM with an adapter (the shipped one unless another folder is named),
known-dialect routing, the shared-prefix generator, the prompt budget the adapter was trained with,
grammar-constrained decoding by default (``momq.constrain``: the answer parses in its dialect and names only the
schema's items; ``constrained=False`` for free decoding), and one lock around generation.

The lock is the concurrency contract: a MoMQ model's routing context (the dialect ids its layers read during a
forward) is shared state, so exactly one generation runs at a time; callers on other threads wait. With no
shipped adapter installed the bare base model is used and a warning is logged (its answers are then the base's).
It does not build prompts (``momq.dialects.prompt.fit_prompt``) and does not extract or run queries.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from momq.dialects.prompt import PromptParts, TokenBudget
from momq.schema import Database

log = logging.getLogger(__name__)

#: prompt budget when the adapter does not say what it was trained with
DEFAULT_PROMPT_TOKENS = 640


@dataclass
class QueryModel:
    generator: Any
    tokenizer: Any
    base: str
    adapter: Path | None
    budget: TokenBudget
    constrained: bool = True
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def load(cls, base: str | None = None, adapter: str | Path | None = None, *, max_new_tokens: int = 160,
             prompt_tokens: int | None = None, constrained: bool = True) -> "QueryModel":
        """``adapter``: a folder, or None for the shipped adapter (the bare base with a warning when there is none);
        ``constrained``: grammar-constrained decoding over each request's schema (the default)."""
        from momq.adapter.model import ADAPTER_CONFIG, load_adapter
        from momq.adapters import shipped_adapter
        from momq.dialects.prompt import hf_token_counter
        from momq.evaluate.run import set_inference_routing, training_budget
        from momq.infer import Generator, GeneratorConfig
        from momq.train.config import DEFAULT_BASE
        from momq.train.model import BaseModelError, load_base, load_tokenizer, resolve_base

        base = base or DEFAULT_BASE
        if adapter is None:
            shipped = shipped_adapter()
            if (shipped / ADAPTER_CONFIG).is_file():
                adapter = shipped
            else:
                log.warning("no shipped adapter at %s: answering with the bare base model %s", shipped, base)
        elif not Path(adapter).is_dir():
            raise BaseModelError(f"{adapter}: no such adapter folder")
        t0 = time.monotonic()
        source = resolve_base(base)
        model = load_base(source)
        if adapter is not None:
            model = load_adapter(model, adapter)
            set_inference_routing(model, "known")
        tokenizer = load_tokenizer(source)
        tokens = prompt_tokens or training_budget(str(adapter) if adapter else None, DEFAULT_PROMPT_TOKENS)
        log.info("model %s%s loaded in %.1f s (prompt budget %d tokens)", base,
                 f" + {adapter}" if adapter else "", time.monotonic() - t0, tokens)
        generator = Generator(model, tokenizer, GeneratorConfig(max_new_tokens=max_new_tokens, batch_size=1,
                                                                constrain=constrained))
        return cls(generator, tokenizer, base, Path(adapter) if adapter else None,
                   TokenBudget(tokens, hf_token_counter(tokenizer)), constrained)

    def propose(self, parts: PromptParts, dialect: str, schema: Database | None = None) -> str:
        """The model's answer text for one prompt (greedy); one generation at a time. Constrained decoding needs
        the ``schema`` the prompt was built from."""
        from momq.infer import GenerationRequest

        if self.constrained and schema is None:
            raise ValueError("constrained decoding needs the schema the prompt was built from")
        request = GenerationRequest.from_parts(parts, dialect, schema if self.constrained else None)
        with self._lock:
            (generation,) = self.generator.generate([request])
        return generation.text

    def proposer(self, dialect: str, schema: Database | None = None) -> Callable[[PromptParts, int], str]:
        return lambda parts, attempt: self.propose(parts, dialect, schema)
