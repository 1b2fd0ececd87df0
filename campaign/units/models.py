import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class UnitGroup(Model):
    """A name a plan uses for many units at once (各镇街, 政府各部门, 区直各单位): every active unit of a kind, or a
    chosen list. The plan prints the name; tasks, booths and summaries go to the member units, never the group."""

    __tablename__ = "unit_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)
    # When set, the members are the active units of this kind, whenever asked; otherwise the chosen list.
    unit_kind: Mapped[str | None] = mapped_column(sa.String(16))
    sort_order: Mapped[int] = mapped_column(default=0)

    chosen = relationship("Unit", secondary="unit_group_members", order_by="Unit.sort_order, Unit.id")

    def __repr__(self) -> str:
        return f"<UnitGroup {self.name}>"


class UnitGroupMember(Model):
    __tablename__ = "unit_group_members"

    group_id: Mapped[int] = mapped_column(sa.ForeignKey("unit_groups.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True)


class UnitAlias(Model):
    """A name a plan wrote for a unit that is neither its full nor its short name (区人社局 for 江滨区人力资源和社会保障
    局 without that short name), as a clerk confirmed it on a plan import; units/names.py reads it next time."""

    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Normalised as units/names.py normalises what it reads (NFKC, no spaces).
    alias: Mapped[str] = mapped_column(sa.String(100), unique=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), index=True)

    unit = relationship("Unit")
