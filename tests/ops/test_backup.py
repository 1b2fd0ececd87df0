"""`flask backup` and `flask restore`, on the database the suite runs on (SQLite, or PostgreSQL with
TEST_DATABASE_URL): a copy taken while the app writes is consistent, and comes back whole."""

import hashlib
import json
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from campaign import create_app
from campaign.booths.models import Consultation
from campaign.ops.backup import make_backup
from campaign.shared.audit import AuditEvent
from campaign.web.extensions import db
from tests.conftest import _config
from tests.serverutil import drop_database, new_database, on_postgres


@pytest.fixture
def data(factory):
    """A campaign with a booth, consultations (one with a contact), and a summary with two photos on disk."""
    unit = factory.unit("江滨区医保局")
    campaign = factory.campaign()
    activity = factory.activity(factory.group(campaign), units={unit: "lead"})
    booth = factory.booth(activity, unit)
    for n in range(30):
        factory.consultation(booth, question=f"异地就医备案{n}")
    factory.consultation(booth, person_name="张三", person_phone="13812341234", consent=True, handling="需回访")
    summary = factory.summary(campaign, unit)
    factory.photo(summary)
    factory.photo(summary, color="orange")
    return {"booth_id": booth.id}


@pytest.fixture
def other_database(tmp_path):
    """A second, empty database of the same kind and its own upload folder: where a backup is restored."""
    folder = tmp_path / "other"
    folder.mkdir()
    url = new_database(folder, "restored")
    app = create_app(_config(str(folder), url))
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_database(url)


def _invoke(app, *args):
    # The command runs in the context of the app it is given: without it, the test's own app context would serve.
    with app.app_context():
        return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def _rows(app) -> dict:
    with app.app_context():
        with db.engine.connect() as connection:
            tables = set(sa.inspect(connection).get_table_names())
            counts = {
                table.name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                for table in db.metadata.sorted_tables if table.name in tables
            }
            consultations = connection.execute(
                sa.select(Consultation.client_uuid, Consultation.question, Consultation.person_phone)
                .order_by(Consultation.client_uuid)
            ).all() if "consultations" in tables else []
        db.engine.dispose()
    return {"counts": counts, "consultations": [tuple(row) for row in consultations]}


def _files(folder: Path) -> dict:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*") if path.is_file()
    }


def _insert(connection, booth_id: int, n: int) -> None:
    connection.execute(sa.insert(Consultation).values(
        client_uuid=str(uuid.uuid4()), booth_id=booth_id, kind="政策咨询", topic="医疗保障", question=f"写入中{n}",
    ))


def test_backup_taken_while_the_app_writes_is_consistent_and_restores_whole(app, data, tmp_path, other_database):
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    # A writer committing one entry after another while the copy is made: none of its writes may fail.
    stop, written, failures = threading.Event(), [], []

    def writer():
        n = 0
        while not stop.is_set():
            try:
                with engine.begin() as connection:
                    _insert(connection, data["booth_id"], n)
                written.append(n)
            except Exception as error:  # noqa: BLE001 — collected and asserted on below
                failures.append(repr(error))
                return
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while not written and not failures and thread.is_alive():
            time.sleep(0.001)  # the writer is under way before the backup starts
        result = _invoke(app, "backup", tmp_path / "backup")
    finally:
        stop.set()
        thread.join(30)
    engine.dispose()
    assert result.exit_code == 0, result.output
    assert failures == []

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["database"]["kind"] == ("postgresql" if on_postgres() else "sqlite")
    assert manifest["alembic_revision"]
    # The copy is one instant of the database: the fixture's 31 entries plus those the writer had committed.
    assert 32 <= manifest["counts"]["consultations"] <= 31 + len(written)
    files = _files(tmp_path / "backup")
    # One self-contained database file (no -wal/-shm beside it), the uploads, the manifest.
    assert set(files) - {"manifest.json"} == set(manifest["files"])
    assert {name for name in files if not name.startswith("uploads/")} == {"manifest.json", manifest["database"]["file"]}
    assert all(files[name] == entry["sha256"] for name, entry in manifest["files"].items())
    backed_up_uploads = {name[len("uploads/"):]: sha for name, sha in files.items() if name.startswith("uploads/")}
    assert len(backed_up_uploads) == 4  # two photos, each a display copy and a thumbnail
    assert backed_up_uploads == _files(Path(app.config["UPLOAD_DIR"]))

    restored = _invoke(other_database, "restore", tmp_path / "backup")
    assert restored.exit_code == 0, restored.output
    after = _rows(other_database)
    # Everything as copied, and the restore's own audit event.
    assert after["counts"] == {**manifest["counts"], "audit_events": manifest["counts"]["audit_events"] + 1}
    assert "13812341234" in {phone for _uuid, _question, phone in after["consultations"]}
    assert _files(Path(other_database.config["UPLOAD_DIR"])) == backed_up_uploads
    with other_database.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
        db.engine.dispose()
    assert actions[-1] == "backup_restored"


@pytest.mark.slow
def test_a_write_transaction_open_during_the_backup_neither_blocks_it_nor_gets_in(app, data, tmp_path):
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    pending = engine.connect()
    transaction = pending.begin()
    _insert(pending, data["booth_id"], -1)
    try:
        result = _invoke(app, "backup", tmp_path / "backup")
    finally:
        transaction.commit()
        pending.close()
        engine.dispose()
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["counts"]["consultations"] == 31
    assert _rows(app)["counts"]["consultations"] == 32


def test_restore_refuses_a_database_with_rows_unless_forced(app, data, tmp_path, other_database):
    assert _invoke(app, "backup", tmp_path / "backup").exit_code == 0
    assert _invoke(other_database, "restore", tmp_path / "backup").exit_code == 0
    with other_database.app_context():
        db.session.execute(sa.delete(Consultation).where(Consultation.question == "异地就医备案0"))
        db.session.commit()
        db.engine.dispose()
    changed = _rows(other_database)

    refused = _invoke(other_database, "restore", tmp_path / "backup")
    assert refused.exit_code != 0
    assert "--force" in refused.output
    assert _rows(other_database) == changed

    forced = _invoke(other_database, "restore", tmp_path / "backup", "--force")
    assert forced.exit_code == 0, forced.output
    assert _rows(other_database)["consultations"] == _rows(app)["consultations"]


def test_restore_refuses_a_damaged_or_foreign_backup_and_changes_nothing(app, data, tmp_path, other_database):
    assert _invoke(app, "backup", tmp_path / "backup").exit_code == 0
    before = _rows(other_database)
    manifest_path = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())

    photo = next(name for name in manifest["files"] if name.startswith("uploads/"))
    damaged = tmp_path / "backup" / photo
    original = damaged.read_bytes()
    damaged.write_bytes(original[:-10])
    result = _invoke(other_database, "restore", tmp_path / "backup")
    assert result.exit_code != 0 and "sha256" in result.output
    damaged.write_bytes(original)

    foreign = {**manifest, "database": {**manifest["database"], "kind": "oracle"}}
    manifest_path.write_text(json.dumps(foreign))
    result = _invoke(other_database, "restore", tmp_path / "backup")
    assert result.exit_code != 0 and "oracle" in result.output

    newer = {**manifest, "alembic_revision": "ffffffffffff"}
    manifest_path.write_text(json.dumps(newer))
    result = _invoke(other_database, "restore", tmp_path / "backup")
    assert result.exit_code != 0 and "ffffffffffff" in result.output

    assert _invoke(other_database, "restore", tmp_path).exit_code != 0  # no manifest: not a backup
    assert _rows(other_database) == before
    assert not any(Path(other_database.config["UPLOAD_DIR"]).rglob("*.jpg"))


def test_backup_refuses_a_folder_that_is_not_empty_or_inside_the_uploads(app, data, tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("别的东西")
    result = _invoke(app, "backup", folder)
    assert result.exit_code != 0 and "不是空的" in result.output
    assert list(folder.iterdir()) == [folder / "notes.txt"]

    inside = Path(app.config["UPLOAD_DIR"]) / "backup"
    result = _invoke(app, "backup", inside)
    assert result.exit_code != 0 and "上传目录" in result.output
    assert not inside.exists()


def test_backup_is_readable_by_its_owner_only(app, data, tmp_path):
    folder = tmp_path / "backup"
    assert _invoke(app, "backup", folder).exit_code == 0
    assert folder.stat().st_mode & 0o777 == 0o700
    paths = list(folder.rglob("*"))
    assert any(path.is_file() for path in paths) and any(path.is_dir() for path in paths)
    for path in paths:
        assert path.stat().st_mode & 0o777 == (0o700 if path.is_dir() else 0o600), path


@pytest.mark.parametrize("name", [
    "uploads/../secret_key",
    "uploads/../../outside.txt",
    "/etc/cron.d/evil",
    "uploads\\..\\secret_key",
    "uploads/./x.jpg",
    "uploads//x.jpg",
    "uploads/x\n.jpg",
    "notes.txt",
])
def test_restore_refuses_a_manifest_naming_a_path_outside_its_place_and_writes_nothing(
        app, data, tmp_path, other_database, name):
    """An attacker's backup: a file listed under a path that would land outside the upload folder (the app's
    signing key sits beside it in instance/). The manifest is refused before anything is written."""
    folder = tmp_path / "backup"
    assert _invoke(app, "backup", folder).exit_code == 0
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    payload = b"attacker's key"
    # The file really is in the backup where the path points from the backup folder, with the right hash, so only
    # the path check can stop it.
    if not name.startswith("/") and "\\" not in name and "\n" not in name:
        target = (folder / name).resolve()
        if target.is_relative_to(tmp_path):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(payload)
    manifest["files"][name] = {"sha256": hashlib.sha256(payload).hexdigest(), "bytes": len(payload)}
    manifest_path.write_text(json.dumps(manifest))
    instance = Path(other_database.config["UPLOAD_DIR"]).parent
    key = instance / "secret_key"
    key.write_bytes(b"the real key")
    before = _rows(other_database)

    result = _invoke(other_database, "restore", folder)

    assert result.exit_code != 0 and "路径" in result.output, result.output
    assert key.read_bytes() == b"the real key"
    assert _rows(other_database) == before
    assert not Path(other_database.config["UPLOAD_DIR"]).exists() or not any(
        Path(other_database.config["UPLOAD_DIR"]).rglob("*"))


def test_restore_refuses_an_upload_folder_whose_subfolder_links_outside(app, data, tmp_path, other_database):
    folder = tmp_path / "backup"
    assert _invoke(app, "backup", folder).exit_code == 0
    manifest = json.loads((folder / "manifest.json").read_text())
    first = next(name for name in manifest["files"] if name.startswith("uploads/"))
    subfolder = first.split("/")[1]
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    uploads = Path(other_database.config["UPLOAD_DIR"])
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / subfolder).symlink_to(outside, target_is_directory=True)

    result = _invoke(other_database, "restore", folder, "--force")

    assert result.exit_code != 0 and "上传目录" in result.output, result.output
    assert not any(outside.iterdir())


def test_old_backups_are_listed_and_all_but_the_newest_pruned(app, data, tmp_path):
    """Issue 19.10: every backup is a whole copy of the personal data; old ones go on a command."""
    parent = tmp_path / "backups"
    for name in ("2025-05-01", "2025-05-08", "2025-05-15"):
        make_backup(db.engine, app.config["UPLOAD_DIR"], parent / name)
    (parent / "notes").mkdir()
    (parent / "notes" / "readme.txt").write_text("not a backup: never touched")
    runner = app.test_cli_runner()

    listed = runner.invoke(args=["prune-backups", str(parent), "--keep", "1", "--dry-run"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("将删除") == 3 and "2025-05-15" in listed.output.split("将删除")[0]
    assert len(list(parent.iterdir())) == 4

    pruned = runner.invoke(args=["prune-backups", str(parent), "--keep", "1"])
    assert pruned.exit_code == 0, pruned.output
    assert sorted(path.name for path in parent.iterdir()) == ["2025-05-15", "notes"]
    assert "删除了 2 份" in pruned.output

    refused = runner.invoke(args=["prune-backups", str(parent), "--keep", "0"])
    assert refused.exit_code != 0 and sorted(path.name for path in parent.iterdir()) == ["2025-05-15", "notes"]
