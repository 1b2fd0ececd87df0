"""The demo's unit contacts, made as an organizer makes them: invited in bulk from the unit list (auth/invites.py),
some of them signed in through their link (auth/links.py), the others still holding an unused invitation. The
remaining units have no contact yet, so that "invite every unit without a contact" has work to show."""

import sqlalchemy as sa

from campaign.auth.invites import contacts_by_unit, invite_units
from campaign.auth.links import DEFAULT_DAYS, new_batch, use_link
from campaign.auth.models import User
from campaign.demo.data import ACTIVE_CONTACT_PASSWORD, ACTIVE_CONTACTS, INVITED_CONTACTS
from campaign.shared.timeutil import utcnow
from campaign.units.models import Unit
from campaign.web.extensions import db


def load_demo_accounts(units: dict[str, Unit]) -> None:
    admin = db.session.scalar(sa.select(User).where(User.username == "admin"))
    having = contacts_by_unit()
    wanted = [units[name].id for name in ACTIVE_CONTACTS + INVITED_CONTACTS if units[name].id not in having]
    if not wanted:
        return
    result = invite_units(admin, wanted, DEFAULT_DAYS, new_batch())
    for invitation in result.invitations:
        if invitation.unit.short_name in ACTIVE_CONTACTS:
            user = use_link(invitation.link.token, ACTIVE_CONTACT_PASSWORD)
            user.last_login_at = utcnow()
    db.session.flush()
