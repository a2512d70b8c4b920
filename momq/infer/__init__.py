"""Inference: batched greedy generation with shared-prefix KV reuse (``generate``) and its speed benchmark
(``perf``). Evaluation and serving call :class:`Generator`; training tokenizes prompts with :func:`encode_prompt`.
Heavy libraries (torch, transformers) are imported by the submodules, not here."""

from __future__ import annotations

__all__ = ["Generation", "GenerationRequest", "Generator", "GeneratorConfig", "encode_prompt"]


def __getattr__(name: str):
    if name in __all__:
        from momq.infer import generate

        return getattr(generate, name)
    raise AttributeError(f"module 'momq.infer' has no attribute {name!r}")
