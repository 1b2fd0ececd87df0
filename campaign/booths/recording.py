"""Recording at a booth: consultations and handouts, each once, however often a phone resends it.

CONTRACT (implemented by the staff-page work; used by the public card too):

record_consultation(booth, fields: dict, client_uuid: str, device_id: str = "", source: str = "staff")
    -> tuple[Consultation, bool]
    fields: kind, topic, question, asker_type, handling, person_name, person_phone, consent, satisfaction,
    recorded_at (aware datetime or None = now). Validates (raises RecordingError with a dict of Chinese
    messages per field), inserts, and relies on the UNIQUE constraint on client_uuid: on IntegrityError it
    rolls back and returns the existing row with created=False. Opens a follow-up via
    campaign.booths.followups.ensure_follow_up. Commits.

record_handout(booth, material: str, quantity: int, client_uuid: str, device_id: str = "",
               recorded_at=None) -> tuple[MaterialHandout, bool]   same idempotency.
"""
