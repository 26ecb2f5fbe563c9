"""Allow ``python -m codeer``."""

from codeer.cli.main import main

if __name__ == "__main__":
    main()
