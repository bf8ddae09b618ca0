"""One transaction per request: the request commits once, after its view succeeded.

Every view (pages and API alike) is wrapped by `wrap_views`: a POST, PUT, PATCH or
DELETE whose view returned a response below 400 is committed; a refused one (an
exception, a response of 400 or more) is rolled back, so a failed request leaves
nothing half written. A GET is never committed: the session ends with the request. The
exception is a GET during which `commit_this_get()` was called, because opening the page
records something (a saved profile's page remembers the visit, so the next one shows
what came after it; an API token's last use, kept to the hour): it is committed when it
succeeds. (A GET that only read ends with COMMIT on PostgreSQL for another reason:
registry/read_requests.py.)
The commit runs inside the request's dispatch, so a conflict found at commit (another
writer won) reaches the error handlers as a 409 like any other. Views and services
therefore never commit or roll back themselves; the one
documented exception is a refused sign-in, whose failed attempt must be kept for the
throttle although the request fails (registry/auth/views.py). A command ends its unit
of work with `commit()` too (the bulk demo generator and a 100k import commit per chunk
to bound a transaction's size).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, g, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from registry.errors import Conflict
from registry.extensions import db

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def wrap_views(app: Flask) -> None:
    """Give every registered view the request's transaction (call after the blueprints)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = _transactional(app, view)


_COMMIT_THIS_GET = "commit_this_get"


def commit_this_get() -> None:
    """Have this request committed if it succeeds, whatever its method (see the module)."""
    setattr(g, _COMMIT_THIS_GET, True)


def _transactional(app: Flask, view: Callable) -> Callable:
    @wraps(view)
    def run(*args, **kwargs):
        if request.method not in WRITING_METHODS:
            response = view(*args, **kwargs)
            if g.get(_COMMIT_THIS_GET):
                response = app.make_response(response)
                if response.status_code < 400:
                    commit()
            return response
        try:
            response = app.make_response(view(*args, **kwargs))
        except (StaleDataError, IntegrityError) as error:
            # A flush inside the view lost to a concurrent writer (a double-clicked
            # submit meeting a unique constraint): the same 409 as at commit.
            db.session.rollback()
            raise lost_race() from error
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code < 400:
            commit()
        else:
            db.session.rollback()
        return response

    return run


def commit() -> None:
    """Commit the session. Raises Conflict when another writer got there first."""
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise lost_race() from error


def lost_race() -> Conflict:
    return Conflict(_("Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw."))
