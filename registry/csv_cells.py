"""CSV cells a spreadsheet will not run: text starting with = + - @, a tab or a carriage
return is a formula to Excel and LibreOffice (CSV injection), so it gets a leading
apostrophe. Used by every CSV the registry writes: study exports, the conflict register
and the open data package."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The text as a CSV cell that no spreadsheet evaluates as a formula."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell
