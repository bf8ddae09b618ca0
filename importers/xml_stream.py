"""One way of refusing an XML file for the XML import formats (PubMed, EndNote): the
parser's own errors, entity declarations and unknown encodings become ImportRejected."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from flask_babel import gettext as _

from importers.source import RawRecord, reject


def rejecting_bad_xml(records: Iterator[RawRecord]) -> Iterator[RawRecord]:
    """The records, with truncated or invalid XML, entities or a DTD, and an encoding
    Python does not know refused as a whole."""
    try:
        yield from records
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else "?"
        raise reject(_(
            "Het XML-bestand is onvolledig of ongeldig (regel %(line)s). Er is niets opgeslagen.",
            line=line,
        )) from None
    except DefusedXmlException:
        raise reject(
            _("Het XML-bestand bevat entiteiten of een DTD; die worden geweigerd.")
        ) from None
    except LookupError as error:  # <?xml encoding="..."?> names an unknown encoding
        if isinstance(error, KeyError | IndexError):  # a bug, not the file
            raise
        raise reject(_("Het XML-bestand noemt een onbekende tekenset.")) from None
    except ValueError as error:  # pyexpat: "multi-byte encodings are not supported"
        if "encoding" not in str(error):
            raise
        raise reject(_("Het XML-bestand gebruikt een tekenset die niet gelezen kan worden; "
                       "sla het op als UTF-8.")) from None
