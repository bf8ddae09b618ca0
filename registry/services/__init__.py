"""Business rules: plain functions that take a session's objects, flush, never commit."""
