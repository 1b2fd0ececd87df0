"""Chinese is the source language; every string a user can see must also have its English translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_interface_string_has_an_english_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(pot, "rb") as handle:
        extracted = {message.id for message in read_po(handle) if message.id}
    with open(ROOT / "campaign/translations/en/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle)
    missing = sorted(
        msgid for msgid in extracted
        if msgid not in catalog or not catalog[msgid].string or catalog[msgid].fuzzy
    )
    assert missing == [], f"{len(missing)} strings without English: {missing[:20]}"
    assert len(extracted) > 20
