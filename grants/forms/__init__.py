"""Forms for the grants screens: they parse input; business rules live in the services."""
