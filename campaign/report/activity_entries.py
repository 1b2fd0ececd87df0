"""Each activity of the plan as the district report reads it: its roles as the plan prints them, the units behind
them, the desks its units set up and what those desks recorded, material by material.

Plain data (ActivityEntry) for compile.py; the report's prose (report/prose/) writes its paragraph from it.
"""

from collections import defaultdict

from campaign.booths.models import Booth
from campaign.plan.models import (
    MODE_ONSITE,
    ROLE_COOPERATING,
    ROLE_LEAD,
    ROLE_PARTICIPATING,
    ROLE_RESPONSIBLE,
    UNIT_ROLES,
    Activity,
)
from campaign.plan.participants import units_in_activities
from campaign.report.figures import ActivityEntry
from campaign.shared.formatting import cn_span


class ActivityCounts:
    """What the booths recorded, per booth, and who is behind each activity: read once for every activity."""

    def __init__(self, campaign_id: int, booths: list[Booth], consultations: dict[int, int],
                 materials: dict[int, int], by_material: dict[int, dict[str, int]],
                 unit_labels: dict[int, str], unit_order: dict[int, int]) -> None:
        self.consultations = consultations
        self.materials = materials
        self.by_material = by_material
        self.unit_labels = unit_labels
        self.unit_order = unit_order
        self.booths: defaultdict[int | None, list[Booth]] = defaultdict(list)
        for booth in booths:
            self.booths[booth.activity_id].append(booth)
        self.roles: defaultdict[int, list[list]] = defaultdict(list)
        for link in units_in_activities(Activity.campaign_id == campaign_id):
            self.roles[link.activity_id].append([link.unit_id, link.role])

    def in_service(self, booth: Booth) -> bool:
        return booth.active or bool(self.consultations.get(booth.id) or self.materials.get(booth.id))


def activity_entry(activity: Activity, group_title: str, counts: ActivityCounts, time_style: str) -> ActivityEntry:
    named = {role: activity.role_names(role) for role in UNIT_ROLES}
    booths = counts.booths.get(activity.id, [])
    by_material: defaultdict[str, int] = defaultdict(int)
    for booth in booths:
        for name, quantity in counts.by_material.get(booth.id, {}).items():
            by_material[name] += quantity
    desk_units = sorted({booth.unit_id for booth in booths if counts.in_service(booth)},
                        key=lambda unit_id: (counts.unit_order.get(unit_id, 0), unit_id))
    return {
        "id": activity.id,
        "group": group_title,
        "title": activity.title,
        "description": activity.description or "",
        "mode": activity.mode,
        "time_text": cn_span(activity.starts_at, activity.ends_at, activity.all_day, time_style),
        "venue": activity.venue.name if activity.mode == MODE_ONSITE and activity.venue else "",
        "venue_kind": activity.venue.kind_label if activity.mode == MODE_ONSITE and activity.venue else "",
        # As the plan names them: in its order and its words, groups (各镇街) by their name.
        "lead": named[ROLE_LEAD],
        "cooperating": named[ROLE_COOPERATING],
        "participating": named[ROLE_PARTICIPATING],
        "responsible": named[ROLE_RESPONSIBLE],
        # The units behind those names (a group's members), each once, with its role: [unit id, role].
        "unit_roles": counts.roles.get(activity.id, []),
        "units": len(activity.unit_links),
        "booths": len(booths),
        "desk_units": [counts.unit_labels.get(unit_id, "") for unit_id in desk_units],
        "desk_unit_ids": desk_units,
        # The units whose desks here recorded anything: the activity's evidence (prose/evidence.py).
        "recorded_unit_ids": sorted({booth.unit_id for booth in booths
                                     if counts.consultations.get(booth.id) or counts.materials.get(booth.id)}),
        "consultations": sum(counts.consultations.get(booth.id, 0) for booth in booths),
        "materials": sum(counts.materials.get(booth.id, 0) for booth in booths),
        # [[material, quantity]], largest first: the document names each one.
        "by_material": [[name, quantity] for name, quantity in
                        sorted(by_material.items(), key=lambda item: (-item[1], item[0])) if quantity],
    }
