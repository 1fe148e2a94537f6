"""django-rules permissions for bids (imported by commissioning/rules.py)."""
