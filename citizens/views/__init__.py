"""Views of the citizens app: thin, one accessor or service each."""
