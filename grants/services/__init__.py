"""Grants writes: keyword-only, atomic, audited services named <entity>_<verb>."""
