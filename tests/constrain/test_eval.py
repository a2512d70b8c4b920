"""``momq eval --constrained`` on a tiny MoMQ model: every output stays inside its item's grammar (complete
when the fence closed, a grammatical prefix otherwise) and scoring is unchanged."""

from __future__ import annotations

import pytest

from momq.constrain.compiled import GrammarCache
from momq.evaluate.run import EvalConfig, evaluate


@pytest.mark.slow
def test_constrained_eval_keeps_outputs_in_grammar(tiny_bench, tiny_qwen_dir, all_engines):
    from momq.bench.dataset import open_build
    from momq.train.config import TrainConfig
    from momq.train.model import build_model

    model, tok, _ = build_model(TrainConfig(base_model=str(tiny_qwen_dir), build=str(tiny_bench), r=4,
                                            experts_per_dialect=2, routing="soft"))
    config = EvalConfig(build=str(tiny_bench), split="test", max_items=2, prompt_tokens=700, max_new_tokens=24,
                        batch_size=4, constrained=True)
    result = evaluate(config, model_bundle=(model, tok), engines=all_engines, progress=False)
    assert len(result.scored) == 8 and {s.dialect for s in result.scored} == {"mysql", "postgresql", "cypher",
                                                                              "ngql"}
    build = open_build(tiny_bench)
    cache = GrammarCache(tok)
    for scored in result.scored:
        matcher = cache.matcher(scored.dialect, build.database(scored.db_id, scored.dialect))
        ids = tok(scored.output, add_special_tokens=False).input_ids
        matcher.consume_tokens(ids)
        assert not matcher.is_error(), (scored.dialect, scored.output, matcher.get_error()[:300])
