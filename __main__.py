"""``python -m casa1000`` runs the command line."""

from casa1000.cli import main

main()
