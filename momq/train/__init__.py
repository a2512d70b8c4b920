"""Training: the config (``config``), base models and adapter sizing (``model``), data (``data``), the Trainer
(``trainer``) and the ``momq train`` command (``cli``). Importing the package loads no heavy library."""
