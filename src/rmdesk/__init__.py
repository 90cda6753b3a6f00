"""rmdesk: a desktop workbook for customs risk-management workshops."""

# The one version number: pyproject reads it from here (tool.hatch.version), so the
# About box, --version, PDF footers and artefact names agree. A literal, not
# importlib.metadata, which costs ~50 ms of start-up scanning installed packages.
__version__ = "0.1.0"
