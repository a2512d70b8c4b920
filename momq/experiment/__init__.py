"""The paper's experiment as one re-runnable command: the grid (``config``), the cached runs and the aggregate
(``runner``), and ``momq experiment`` (``cli``). Importing the package loads no heavy library."""
