"""Entry point for the frozen build (PyInstaller needs a script, not a console_script)."""

import sys

from rmdesk.app import main

if __name__ == "__main__":
    sys.exit(main())
