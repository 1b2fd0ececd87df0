
import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from campaign.shared.timeutil import CreatedAt
from campaign.web.extensions import Model

ROLE_ORGANIZER = "organizer"
ROLE_UNIT = "unit"
ROLES = (ROLE_ORGANIZER, ROLE_UNIT)


class User(UserMixin, CreatedAt, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    display_name: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[str] = mapped_column(sa.String(16))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)

    unit = relationship("Unit", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("role in ('organizer', 'unit')", name="role"),
        sa.CheckConstraint("role = 'organizer' or unit_id is not null", name="unit_user_has_unit"),
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_organizer(self) -> bool:
        return self.role == ROLE_ORGANIZER
