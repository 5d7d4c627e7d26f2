"""HTTP routes, one module per plugin; each exposes ``routes``."""
