"""Command-line sub-commands of momq.engines (placeholder until the area fills it in)."""

import typer

app = typer.Typer(no_args_is_help=True)
