"""The Whoosh search index: Dutch analysis, documents, sync with the database, queries.

The index is derived data: every document is rebuilt from the database, and the database
change log (search_changes) says which documents are stale.
"""
