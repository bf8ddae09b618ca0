"""Command-line entry points of the assessment procedure (services live in registry.services)."""
