"""``python -m jupyter_dsl`` is ``jupyter dsl``."""

from .cli import main

if __name__ == "__main__":
    main()
