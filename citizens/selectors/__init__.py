"""Reads of the citizens app: accessors fetch *and* check; lists are scoped to the reader."""
