"""Uploaded files kept on the server between preview and confirm.

The file lives under <instance>/uploads/ named by a random token; the browser's session
holds the token and the file's sha256, so confirming needs no re-upload and no record
data travels through the form. Confirm and cancel delete the file. Confirming first
claims the file (an empty <token>.claimed made only if it does not exist), so of two
confirms at the same moment (a double click) only one imports.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import gettext as _

from registry.errors import Conflict
from registry.i18n import N_

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_CLAIMED = ".claimed"
# Translated where it is raised (in the reader's locale), so only marked here.
STALE = N_("Deze import is verlopen of al afgehandeld. Kies het bestand opnieuw om een nieuw "
           "voorbeeld te zien.")


@dataclass
class Upload:
    """A kept file: its token, sha256, the user's file name, what it holds ("studies" or
    "findings") and the chosen options."""

    token: str
    sha256: str
    file_name: str
    kind: str = "studies"
    format: str | None = None
    link: str | None = None
    sheet: str | None = None  # of an Excel workbook; None: the first
    columns: dict[str, str] = field(default_factory=dict)  # header cell -> field

    def as_session(self) -> dict[str, Any]:
        """What the session keeps (plain JSON values)."""
        return asdict(self)


def upload_folder(base: str) -> Path:
    """The uploads folder under base (keep_upload creates it)."""
    return Path(base) / "uploads"


def keep_upload(stream: BinaryIO, folder: Path, file_name: str, **options: str | None) -> Upload:
    """Copy the stream into folder under a fresh token, hashing it on the way."""
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256()
    with (folder / token).open("wb") as out:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    return Upload(token, digest.hexdigest(), file_name, **options)


def open_upload(folder: Path, kept: dict[str, Any] | None, token: str | None,
                kind: str = "studies") -> Upload:
    """The kept upload of this kind the form's token names. Raises Conflict when it is
    stale or gone: no upload in the session, another token or kind, a missing file, or
    changed content."""
    if not kept or not token or kept.get("token") != token or not _TOKEN.match(token):
        raise Conflict(_(STALE))
    if kept.get("kind", "studies") != kind:
        raise Conflict(_(STALE))
    upload = Upload(**kept)
    path = folder / upload.token
    if not path.is_file() or _sha256(path) != upload.sha256:
        raise Conflict(_(STALE))
    return upload


def claim_upload(folder: Path, kept: dict[str, Any] | None, token: str | None,
                 kind: str = "studies") -> Upload:
    """The kept upload, as open_upload finds it, for the one request that confirms it:
    a second confirm while the first imports gets the Conflict of a handled upload."""
    upload = open_upload(folder, kept, token, kind)
    try:
        (folder / f"{upload.token}{_CLAIMED}").open("x").close()
    except FileExistsError:
        raise Conflict(_(STALE)) from None
    return upload


def discard_upload(folder: Path, kept: dict[str, Any] | None) -> None:
    """Delete the kept file and its claim, if any (a missing file is fine)."""
    token = (kept or {}).get("token")
    if token and _TOKEN.match(token):
        (folder / token).unlink(missing_ok=True)
        (folder / f"{token}{_CLAIMED}").unlink(missing_ok=True)


def cancel_upload(folder: Path, session, key: str, token: str | None) -> bool:
    """Delete the upload the session keeps under `key` when the form's token names it;
    False when it was handled already (confirmed, cancelled, or another one kept)."""
    kept = session.get(key)
    if kept and kept.get("token") == token:
        discard_upload(folder, session.pop(key))
        return True
    return False


def prune_uploads(folder: Path, max_age_seconds: int = 24 * 3600) -> None:
    """Delete kept files older than max_age_seconds: previews nobody confirmed or
    cancelled (a closed tab) would otherwise stay forever."""
    if not folder.is_dir():
        return
    cutoff = time.time() - max_age_seconds
    for path in folder.iterdir():
        if _TOKEN.match(path.name.removesuffix(_CLAIMED)) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
