"""Intervention interchange: export the published catalogue as one file and import such
a file into another registry (docs/interchange.md).

read.py turns a JSON or CSV file into raw records, plan.py validates them against the
database and says what each would do, write.py carries out a plan, undo.py undoes a
batch, export.py writes the file. Functions flush and never commit.
"""
