"""The ``flashpoint`` command line: a thin front end over the public API (see docs/cli.md)."""

__all__ = ["main"]


def main() -> None:
    """Run the command line."""
    from sim.cli.main import main as _main

    _main()
