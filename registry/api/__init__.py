"""The JSON API under /api/v1/.

Each area registers its views on `bp` in its own module, imported below. Document
every view with registry.api.common.operation: the OpenAPI test fails for a rule
without one.
"""

from flask import Blueprint

bp = Blueprint("api", __name__)

# Imported after `bp` exists because each module registers its views on it.
from registry.api import (  # noqa: E402, F401
    evidence_map,
    experiences,
    imports,
    interventions,
    openapi,
    procedure,
    search,
    studies,
    vocabularies,
)
