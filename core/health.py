"""Health of the parts the portal depends on, for /healthz and operators."""
