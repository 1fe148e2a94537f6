"""Writes of the citizens app: keyword-only, validated, audited, side effects after commit."""
