"""The MkDocs site: its build, the live preview hook, the guide alone, its security policy."""
