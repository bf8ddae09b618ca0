"""How a page cites a study in a row or a chart label."""

from __future__ import annotations

from flask_babel import gettext as _


def study_citation(study) -> str:
    """"Berg e.a. (2021)": the first author's family name and the year."""
    author = study.first_author
    name = author.family_name if author else study.title[:20]
    if author and len(study.authors) > 1:
        name = _("%(name)s e.a.", name=name)
    return f"{name} ({study.year})" if study.year else name
