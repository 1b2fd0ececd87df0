"""Backups of the whole installation: `flask backup` and `flask restore` (the purge of personal data is in
purge.py).

A backup is a folder: the database (SQLite: a copy made by SQLite's online backup API; PostgreSQL: a pg_dump in
custom format), a copy of the uploads, and manifest.json with the time, the Alembic revision, the row count of
every table as the copy saw it, and the sha256 of every file. It holds personal data and the whole database, so
only its owner may read it: files 0600 in folders 0700. Restore checks the manifest before it touches anything —
every file whole, every path a plain relative one that stays inside the backup and inside the upload folder it is
restored to — and refuses to overwrite a database that holds rows unless told to.
"""

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError
from flask import current_app
from flask_babel import lazy_gettext as _l

from campaign.shared.audit import record, register_action_labels
from campaign.shared.timeutil import utcnow
from campaign.web.extensions import db

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_DUMP_FILE = "database.pgdump"
UPLOADS = "uploads"

register_action_labels({
    "backup_made": _l("备份数据"),
    "backup_restored": _l("从备份恢复数据"),
})


class MaintenanceError(Exception):
    """A refusal with its reason, in words for the operator."""


# Backup -------------------------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _app_tables(connection) -> list[str]:
    present = set(sa.inspect(connection).get_table_names())
    return [table.name for table in db.metadata.sorted_tables if table.name in present]


def _counts(connection) -> dict[str, int]:
    # One COUNT per table of the app: a bounded number of statements however large the tables.
    return {
        name: connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
        for name in _app_tables(connection)
    }


def _revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _libpq(url: sa.URL) -> tuple[str, dict]:
    """A SQLAlchemy URL → (a libpq URL without the password, the environment carrying it)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise MaintenanceError(f"找不到 {name}：请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）。")
    return tool


def _sqlite_file(engine: sa.Engine) -> str:
    if not engine.url.database:
        raise ValueError("a SQLite database to back up or restore is a file")
    return engine.url.database


def _backup_sqlite(engine: sa.Engine, target: Path) -> tuple[dict, str | None]:
    # One step of the online backup API copies the whole file under one read transaction: in WAL mode writers
    # go on meanwhile, and the copy is the database as it was at one instant.
    source = sqlite3.connect(_sqlite_file(engine), timeout=30)
    copy = sqlite3.connect(target / SQLITE_FILE)
    try:
        source.backup(copy)
        # The copy stands alone: one file, no -wal/-shm beside it whenever it is opened.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        source.close()
    snapshot = sa.create_engine(f"sqlite:///{target / SQLITE_FILE}", poolclass=sa.pool.NullPool)
    with snapshot.connect() as connection:
        counts, revision = _counts(connection), _revision(connection)
    snapshot.dispose()
    return counts, revision


def _backup_postgres(engine: sa.Engine, target: Path) -> tuple[dict, str | None]:
    pg_dump = _pg_tool("pg_dump")
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        # pg_dump reads the very snapshot this transaction counted, so the counts describe the dump exactly.
        snapshot: str = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
        counts, revision = _counts(connection), _revision(connection)
        url, env = _libpq(engine.url)
        done = subprocess.run(
            [pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={target / PG_DUMP_FILE}", f"--dbname={url}"],
            env=env, capture_output=True, text=True,
        )
        connection.rollback()
    if done.returncode:
        raise MaintenanceError(f"pg_dump 失败：{done.stderr.strip()}")
    return counts, revision


def _copy_uploads(upload_dir: Path, target: Path) -> None:
    if upload_dir.is_dir():
        shutil.copytree(upload_dir, target / UPLOADS, symlinks=False)
    else:
        (target / UPLOADS).mkdir()


def _owner_only(target: Path) -> None:
    """Files 0600, folders 0700: a backup is the whole database, personal data included."""
    target.chmod(0o700)
    for path in target.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


def make_backup(engine: sa.Engine, upload_dir: str | Path, folder: str | Path) -> dict:
    """Copies the database, then the uploads, into `folder` (new or empty); returns the manifest it wrote.

    The database comes first: a photo is stored before the row naming it is committed and deleted after the row
    is gone, so every photo the copied database names is still there when the uploads are copied.
    """
    target = Path(folder)
    if target.exists() and any(target.iterdir()):
        raise MaintenanceError(f"目录 {target} 不是空的：请指定一个新目录。")
    if target.resolve().is_relative_to(Path(upload_dir).resolve()):
        raise MaintenanceError(f"备份目录不能在上传目录 {upload_dir} 之内。")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)
    kind = engine.url.get_backend_name()
    if kind == "sqlite":
        counts, revision = _backup_sqlite(engine, target)
        database_file = SQLITE_FILE
    elif kind == "postgresql":
        counts, revision = _backup_postgres(engine, target)
        database_file = PG_DUMP_FILE
    else:
        raise MaintenanceError(f"不支持备份 {kind} 数据库。")
    _copy_uploads(Path(upload_dir), target)
    files = {
        path.relative_to(target).as_posix(): {"sha256": _sha256(path), "bytes": path.stat().st_size}
        for path in sorted(target.rglob("*")) if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(),
        "database": {"kind": kind, "file": database_file},
        "alembic_revision": revision,
        "counts": counts,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    _owner_only(target)
    return manifest


# Restore ------------------------------------------------------------------------------------------------------


def _plain_relative_path(name) -> bool:
    """A path a manifest may name: relative, forward slashes, no `..`, `.` or empty parts, no control characters."""
    if not isinstance(name, str) or not name or "\\" in name or name.startswith("/"):
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def _check_names(files: dict, database_file: str) -> None:
    """Each file is the database or lies under uploads/, by a plain relative path: checked before anything is
    written, so no manifest can make restore write outside the database and the upload folder."""
    for name in files:
        if not _plain_relative_path(name) or not (name == database_file or name.startswith(f"{UPLOADS}/")):
            raise MaintenanceError(f"{MANIFEST} 中有不允许的路径：{name!r}")
    if database_file not in (SQLITE_FILE, PG_DUMP_FILE):
        raise MaintenanceError(f"{MANIFEST} 中的数据库文件名不认识：{database_file!r}")


def read_manifest(folder: str | Path) -> dict:
    """The manifest of a backup folder, after checking that every path it names is a plain one and every file it
    lists is there, whole."""
    source = Path(folder)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise MaintenanceError(f"{source} 里没有 {MANIFEST}：这不是一个备份目录。") from error
    except (ValueError, OSError) as error:
        raise MaintenanceError(f"{MANIFEST} 无法读取：{error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise MaintenanceError(f"{MANIFEST} 的格式不认识。")
    files = manifest.get("files") or {}
    database = manifest.get("database")
    if not isinstance(files, dict) or not isinstance(database, dict) or database.get("file") not in files:
        raise MaintenanceError(f"{MANIFEST} 没有列出数据库文件。")
    _check_names(files, database["file"])
    for name, expected in files.items():
        path = (source / name).resolve()
        if not path.is_relative_to(source.resolve()):
            raise MaintenanceError(f"{MANIFEST} 中的路径越出了备份目录：{name}")
        if not path.is_file():
            raise MaintenanceError(f"备份缺少文件：{name}")
        if not isinstance(expected, dict) or _sha256(path) != expected.get("sha256"):
            raise MaintenanceError(f"备份文件已损坏（sha256 不符）：{name}")
    return manifest


def _rows_present(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return sum(_counts(connection).values())


def _restore_sqlite(engine: sa.Engine, source: Path) -> None:
    engine.dispose()
    copy = sqlite3.connect(source / SQLITE_FILE)
    target = sqlite3.connect(_sqlite_file(engine), timeout=30)
    try:
        copy.backup(target)
    finally:
        target.close()
        copy.close()


def _restore_postgres(engine: sa.Engine, source: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    existing = sa.MetaData()
    with engine.begin() as connection:
        existing.reflect(connection)
        existing.drop_all(connection)
    engine.dispose()
    url, env = _libpq(engine.url)
    done = subprocess.run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={url}", str(source / PG_DUMP_FILE)],
        env=env, capture_output=True, text=True,
    )
    if done.returncode:
        raise MaintenanceError(f"pg_restore 失败：{done.stderr.strip()}")


def _upload_destinations(upload_dir: Path, files: dict) -> dict[str, Path]:
    """Where each file of the backup's uploads goes, each checked to lie inside the upload folder (a folder in it
    may be a link elsewhere) before the first one is written."""
    root = upload_dir.resolve()
    destinations = {}
    for name in files:
        if name.startswith(f"{UPLOADS}/"):
            relative = name[len(UPLOADS) + 1:]
            destination = upload_dir / relative
            if not destination.resolve().is_relative_to(root):
                raise MaintenanceError(f"{MANIFEST} 中的路径越出了上传目录：{name!r}")
            destinations[relative] = destination
    return destinations


def _restore_uploads(source: Path, upload_dir: Path, destinations: dict[str, Path]) -> None:
    wanted = set(destinations)
    upload_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(upload_dir.rglob("*"), reverse=True):
        relative = path.relative_to(upload_dir).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for relative in sorted(wanted):
        destination = destinations[relative]
        destination.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed: a worker reading the photo sees the old file or the new one, never half.
        with (
            tempfile.NamedTemporaryFile(dir=destination.parent, delete=False) as draft,
            (source / UPLOADS / relative).open("rb") as original,
        ):
            shutil.copyfileobj(original, draft)
        os.replace(draft.name, destination)


def _known_revision(revision: str) -> bool:
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        return scripts.get_revision(revision) is not None
    except AlembicError:
        return False


def restore_backup(engine: sa.Engine, upload_dir: str | Path, folder: str | Path, force: bool = False) -> dict:
    """Brings a backup back into the database and the upload folder; returns the counts found after it."""
    source = Path(folder)
    manifest = read_manifest(source)
    kind = manifest["database"]["kind"]
    if kind != engine.url.get_backend_name():
        raise MaintenanceError(f"这是 {kind} 数据库的备份，不能恢复到 {engine.url.get_backend_name()} 数据库。")
    revision = manifest.get("alembic_revision")
    if revision and not _known_revision(revision):
        raise MaintenanceError(f"备份来自更新的版本（数据库版本 {revision}），请先升级本程序。")
    uploads = Path(upload_dir)
    destinations = _upload_destinations(uploads, manifest["files"])
    if not force:
        rows = _rows_present(engine)
        if rows:
            raise MaintenanceError(f"目标数据库已有 {rows} 行数据；确认要覆盖请加 --force。")
        if uploads.is_dir() and any(path.is_file() for path in uploads.rglob("*")):
            raise MaintenanceError(f"上传目录 {uploads} 不是空的；确认要覆盖请加 --force。")
    if kind == "sqlite":
        _restore_sqlite(engine, source)
    else:
        _restore_postgres(engine, source)
    _restore_uploads(source, uploads, destinations)
    with engine.connect() as connection:
        counts = _counts(connection)
    if counts != manifest["counts"]:
        raise MaintenanceError(f"恢复后的行数与备份清单不符：{counts} ≠ {manifest['counts']}")
    return counts


# Commands -----------------------------------------------------------------------------------------------------


def as_click_error(error: MaintenanceError) -> click.ClickException:
    return click.ClickException(str(error))


def record_operation(action: str, folder: str, rows: int) -> None:
    event = record(None, action, None, folder=str(Path(folder).resolve()), rows=rows)
    event.object_type = "Backup"
    db.session.commit()


@click.command("backup", help="备份数据库和上传的文件到一个新目录 (back up the database and uploads).")
@click.argument("folder", type=click.Path(file_okay=False))
def backup_command(folder):
    try:
        manifest = make_backup(db.engine, current_app.config["UPLOAD_DIR"], folder)
    except MaintenanceError as error:
        raise as_click_error(error) from error
    with contextlib.suppress(sa.exc.SQLAlchemyError):
        record_operation("backup_made", folder, sum(manifest["counts"].values()))
    uploads = sum(1 for name in manifest["files"] if name.startswith(f"{UPLOADS}/"))
    click.echo(f"已备份到 {folder}：{manifest['database']['kind']} 数据库 {sum(manifest['counts'].values())} 行，"
               f"上传文件 {uploads} 个，数据库版本 {manifest['alembic_revision']}。")


@click.command("restore", help="从备份目录恢复数据库和上传的文件 (restore a backup).")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="覆盖已有数据的数据库和上传目录")
def restore_command(folder, force):
    db.session.remove()
    try:
        counts = restore_backup(db.engine, current_app.config["UPLOAD_DIR"], folder, force=force)
    except MaintenanceError as error:
        raise as_click_error(error) from error
    record_operation("backup_restored", folder, sum(counts.values()))
    click.echo(f"已从 {folder} 恢复：{sum(counts.values())} 行。若本程序版本更新，请再运行 flask db upgrade。")
