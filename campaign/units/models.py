import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from campaign.web.extensions import Model, db

# kind -> label; the labels are document words and stay Chinese.
UNIT_KINDS = {
    "town": "镇/街道",
    "bureau": "区政府部门",
    "institution": "区直事业单位",
    "other": "其他",
}


class Unit(Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    short_name: Mapped[str] = mapped_column(sa.String(50), default="")
    kind: Mapped[str] = mapped_column(sa.String(16), default="other")
    contact_person: Mapped[str] = mapped_column(sa.String(50), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    # Where summary reminders are e-mailed, when the office has configured SMTP.
    contact_email: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (sa.CheckConstraint("kind in ('town', 'bureau', 'institution', 'other')", name="kind"),)

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS.get(self.kind, self.kind)

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def __repr__(self) -> str:
        return f"<Unit {self.name}>"


def ordered_units(include_inactive: bool = False):
    query = sa.select(Unit).order_by(Unit.sort_order, Unit.id)
    if not include_inactive:
        query = query.where(Unit.active.is_(True))
    return db.session.scalars(query).all()
