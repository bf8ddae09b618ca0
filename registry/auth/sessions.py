"""Sessions that can be ended: the session holds "<user id>:<session version>".

A session cookie is signed, not stored, so a copy taken before sign-out would stay
valid. Raising the user's session_version (end_sessions) makes every earlier cookie
name a version that no longer exists, on every device.
(registry.services.accounts.end_sessions raises it.)
"""

from __future__ import annotations

from registry.extensions import db
from registry.models import User

# The largest id a database integer holds; a forged larger one is simply no user.
_MAX_ID = 2**31 - 1


def load_session_user(session_id: str) -> User | None:
    """flask-login's user loader: the user, if the session's version is still current."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()) or int(user_id) > _MAX_ID:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user
