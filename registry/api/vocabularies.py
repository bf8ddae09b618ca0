"""GET /api/v1/vocabularies and /api/v1/vocabularies/<name>."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from registry.api import bp
from registry.api.common import PathParameter, operation
from registry.errors import NotFound
from registry.models.vocabulary import VOCABULARIES
from registry.schemas.vocabularies import VocabularyListSchema, VocabularySchema
from registry.services.vocabularies import terms_by_code


def _vocabulary(name: str) -> dict[str, Any]:
    terms = sorted(terms_by_code(name).values(), key=lambda t: (t.position, t.code))
    return {"name": name, "terms": terms}


@bp.get("/vocabularies")
@operation("Alle vocabulaires met hun termen", response=VocabularyListSchema)
def list_vocabularies():
    """Every controlled vocabulary with its terms."""
    vocabularies = [_vocabulary(name) for name in VOCABULARIES]
    return VocabularyListSchema().dump({"vocabularies": vocabularies})


@bp.get("/vocabularies/<name>")
@operation(
    "Eén vocabulaire met zijn termen",
    response=VocabularySchema,
    path=(PathParameter("name", "string", "De naam, bijvoorbeeld 'barrier'."),),
    errors=(404,),
)
def get_vocabulary(name: str):
    """One vocabulary with its terms. Raises NotFound for a name the registry lacks."""
    if name not in VOCABULARIES:
        raise NotFound(_("Vocabulaire '%(name)s' bestaat niet.", name=name))
    return VocabularySchema().dump(_vocabulary(name))
