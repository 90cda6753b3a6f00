"""rmdesk: a desktop workbook for customs risk-management workshops."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rmdesk")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+src"
