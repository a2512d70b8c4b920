"""The multi-GPU entry point: ``accelerate launch -m momq.train CONFIG`` constructs and trains on CPU (one
process), through the same config file and Trainer as ``momq train``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from momq.train.config import TrainConfig


def test_accelerate_launch_runs_the_training_module(tiny_bench, tiny_llama_dir, tmp_path):
    out = tmp_path / "run"
    config = TrainConfig(base_model=str(tiny_llama_dir), build=str(tiny_bench), output_dir=str(out), max_steps=2,
                         batch_size=2, max_examples=4, prompt_tokens=700, max_answer_tokens=200, bf16=False,
                         threads=1, save_steps=10)
    config.to_yaml(tmp_path / "config.yaml")
    accelerate = Path(sys.executable).with_name("accelerate")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run(
        [str(accelerate), "launch", "--cpu", "--num_processes", "1", "--num_machines", "1", "--mixed_precision",
         "no", "--dynamo_backend", "no", "-m", "momq.train", str(tmp_path / "config.yaml"), "--set", "max_steps=2"],
        capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads((out / "train_summary.json").read_text())
    assert summary["steps"] == 2 and (out / "adapter" / "adapter.safetensors").is_file()
