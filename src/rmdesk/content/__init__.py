"""Content packs: case studies and exercise texts in every language; no Qt."""
