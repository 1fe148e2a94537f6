"""django-rules permissions for awards (imported by commissioning/rules.py)."""
