"""Thin views: parse input, call one accessor or service, render or redirect."""
