"""Open data: the public record as a Frictionless Data Package (package.py, with the
resources in resources.py), its DCAT description (catalog.py) and the commands."""
