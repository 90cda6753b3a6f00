"""Widgets: they map values to and from controls and call services; no rules here."""
