"""django-rules permissions for evaluation (imported by commissioning/rules.py)."""
