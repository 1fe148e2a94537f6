"""Social value pages, one module per screen family."""
