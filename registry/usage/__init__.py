"""Adoption figures for sector monitors: anonymous counts per month of searches and
profile searches per facet value, views of interventions and fact-sheet downloads per
status. Never per person: no user id, address or query text is kept, and cells below
SUPPRESS_BELOW are not shown or published.

buffer.py counts in memory (a request never writes to the database for this), store.py
flushes the buffer as increments (several processes and hosts add up), figures.py reads
the counts back with small cells suppressed.
"""
