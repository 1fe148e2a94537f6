"""Reads about grants, always scoped to what the asking user may see."""
