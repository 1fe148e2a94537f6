"""Presenters: what commissioning templates show (rows, tags, links, available actions)."""
