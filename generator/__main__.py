"""Run the atlas CLI as `python -m generator`."""

from .cli import main

main(prog_name="atlas")
