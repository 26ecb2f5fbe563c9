"""The command line: thin typer layers over the library. Only this package imports typer."""
