"""``python -m momq.train CONFIG [--set field=value ...]``: the ``momq train`` command as a module, for
``accelerate launch -m momq.train`` (which starts one such process per device)."""

import logging

from momq.train.cli import app

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app(prog_name="momq-train")
