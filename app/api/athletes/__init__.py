"""Athletes and their training logs: tenant-scoped, behind API keys."""
