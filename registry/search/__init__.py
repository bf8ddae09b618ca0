"""The search document and its life on the registry's side.

What a document holds (documents), which changes reach the index (changes), applying
the change log and rebuilding (sync, replicas), loading hits for pages (service), the
labels pages show (labels) and `flask index ...` (cli). The engine itself, Whoosh and
everything that knows it, is the top-level `search_index` package, which knows nothing
of the registry.
"""
