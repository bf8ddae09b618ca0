"""Users and their roles (a user may hold several)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.extensions import db
from registry.models.base import TimestampMixin
from registry.models.organisation import Organisation

ROLES = ("professional", "owner", "researcher", "reviewer", "secretary", "adviser", "admin")
# The Dutch names of the roles (docs: "People and roles"); pages never show the codes.
ROLE_LABELS = {
    "professional": _l("Klantmanager / consulent"),
    "owner": _l("Indiener"),
    "researcher": _l("Onderzoeker"),
    "reviewer": _l("Beoordelaar"),
    "secretary": _l("Secretaris"),
    "adviser": _l("Adviseur"),
    "admin": _l("Beheerder"),
}


# A reviewer's expertise, recorded on their profile; the panel rules per level ask for it
# (registry/services/panel_rules.py).
EXPERTISE = ("methodology", "practice", "content", "lived_experience")
EXPERTISE_LABELS = {
    "methodology": _l("Methodologie en statistiek"),
    "practice": _l("Praktijk van werk en inkomen"),
    "content": _l("Inhoud en theorie van de aanpak"),
    "lived_experience": _l("Ervaringsdeskundigheid"),
}


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of the session's user id: raising it ends every session of this user, on
    # every device (sign-out, password change). Sessions are signed cookies and cannot
    # be revoked any other way.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    organisation: Mapped[Organisation | None] = relationship()
    role_grants: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", back_populates="user"
    )
    expertise_grants: Mapped[list[UserExpertise]] = relationship(
        cascade="all, delete-orphan", back_populates="user"
    )
    # Deleting an account deletes its saved profiles.
    saved_profiles: Mapped[list[SavedProfile]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", order_by="SavedProfile.label"
    )
    profile_digest: Mapped[ProfileDigest | None] = relationship(  # noqa: F821
        cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # flask-login reads this
        return self.active

    def get_id(self) -> str:  # what flask-login keeps in the session
        return f"{self.id}:{self.session_version}"

    @property
    def roles(self) -> set[str]:
        return {grant.role for grant in self.role_grants}

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def expertise(self) -> set[str]:
        return {grant.code for grant in self.expertise_grants}


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint("role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="role_grants")


class UserExpertise(db.Model):
    __tablename__ = "user_expertise"
    __table_args__ = (
        UniqueConstraint("user_id", "code"),
        CheckConstraint("code IN (" + ", ".join(f"'{c}'" for c in EXPERTISE) + ")",
                        name="code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(back_populates="expertise_grants")
