"""Menu items this app contributes to the portal's navigation."""
