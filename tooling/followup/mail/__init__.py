"""Reading the user's local mail, read-only and headers only, to propose what interview notes should record."""
