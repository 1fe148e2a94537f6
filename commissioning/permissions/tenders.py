"""django-rules permissions for tenders (imported by commissioning/rules.py)."""
