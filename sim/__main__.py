"""``python -m sim`` runs the ``flashpoint`` command line."""

from sim.cli.main import main

if __name__ == "__main__":
    main()
