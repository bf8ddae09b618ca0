"""marshmallow schemas: they validate every input and shape every output of the API.

One module per area: common (shared fields and the error shape), pagination,
interventions, studies, vocabularies. marshmallow 4 has no `context=`, so a schema
that needs settings (page size limits) takes them as constructor arguments.
"""
