"""Old backups: `flask prune-backups PARENT --keep N` lists the backups in a folder and deletes all but the newest.

Each backup is a whole copy of the database, personal data included: the purge of personal data
(ops/purge.py) reaches the live database only, so old backups are pruned on a schedule of the office's choosing.
"""

import contextlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from campaign.ops.backup import FORMAT, MANIFEST, MaintenanceError, as_click_error, record_operation
from campaign.shared.audit import register_action_labels

register_action_labels({"backups_pruned": _l("删除旧备份")})


# Old backups --------------------------------------------------------------------------------------------------


@dataclass
class BackupFolder:
    path: Path
    created_at: str
    bytes: int


def list_backups(parent: str | Path) -> list[BackupFolder]:
    """The backups directly inside `parent`, newest first: folders whose manifest is ours. Anything else is left
    out (and so never pruned)."""
    found = []
    for folder in sorted(Path(parent).iterdir()) if Path(parent).is_dir() else []:
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not folder.is_dir():
            continue
        size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        found.append(BackupFolder(folder, str(manifest.get("created_at", "")), size))
    return sorted(found, key=lambda backup: backup.created_at, reverse=True)


def prune_backups(parent: str | Path, keep: int, dry_run: bool = False) -> tuple[list, list]:
    """Keep the `keep` newest backups in `parent` and delete the others (each a whole copy of the personal data
    the purge removes from the live database). Returns (kept, deleted)."""
    if keep < 1:
        raise MaintenanceError("至少保留 1 份备份。")
    backups = list_backups(parent)
    kept, deleted = backups[:keep], backups[keep:]
    if not dry_run:
        for backup in deleted:
            shutil.rmtree(backup.path)
    return kept, deleted


@click.command("prune-backups", help="列出并删除旧备份，只保留最新的几份 (list and prune old backups).")
@click.argument("parent", type=click.Path(exists=True, file_okay=False))
@click.option("--keep", type=click.IntRange(min=1), default=3, show_default=True, help="保留最新的几份")
@click.option("--dry-run", is_flag=True, help="只列出会删除哪些，不删除")
def prune_backups_command(parent, keep, dry_run):
    try:
        kept, deleted = prune_backups(parent, keep, dry_run=dry_run)
    except MaintenanceError as error:
        raise as_click_error(error) from error
    for label, backups in (("保留", kept), ("将删除" if dry_run else "已删除", deleted)):
        for backup in backups:
            click.echo(f"{label}\t{backup.created_at[:19]}\t{backup.bytes / 1e6:.1f} MB\t{backup.path}")
    if deleted and not dry_run:
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            record_operation("backups_pruned", parent, len(deleted))
    click.echo(f"共 {len(kept) + len(deleted)} 份备份，保留 {len(kept)} 份，{'将删除' if dry_run else '删除了'} {len(deleted)} 份。")
