"""Receipt codes (回执码, issue 16.5): a short code derived from an entry's UUID, for a volunteer or a citizen to quote.

The phone makes the UUID before the entry leaves it, so the code is known to the phone, the organizer's list, the
export and the public card's thanks page alike, without being stored: the same UUID always gives the same code.
Eight characters of Crockford's base32 (no I, L, O, U: nothing to misread on a phone) are the UUID's first 40 bits,
all random in a version-4 UUID; within one campaign of n entries two share a code with a chance of about
n² / 2⁴¹ (one in 200 for 100,000 entries). Where that matters, the code with its booth and time finds the entry.
"""

from campaign.booths.recording import clean_uuid

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BITS = 40


def receipt_code(client_uuid: str) -> str:
    """"XXXX-XXXX" for a UUID in any case; "" for something that is not one."""
    uuid = clean_uuid(client_uuid)
    if uuid is None:
        return ""
    value = int(uuid.replace("-", "")[: BITS // 4], 16)
    chars = [ALPHABET[(value >> shift) & 31] for shift in range(BITS - 5, -1, -5)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])
