"""flask booths …: maintenance of the booths' data."""

import click

from campaign.booths import tallies
from campaign.web.extensions import db


@click.group("booths", help="咨询台 (booths): maintenance.")
def booths():
    pass


@booths.command("rebuild-tallies")
@click.option("--campaign", "campaign_id", type=int, help="只处理这个活动（活动编号）")
@click.option("--check", is_flag=True, help="只核对，不修改；不一致时退出码为 1")
def rebuild_tallies(campaign_id, check):
    """Recount the live board's tallies from the stored entries (repair after Core bulk changes)."""
    if check:
        expected, stored = tallies.recount(campaign_id), tallies.stored(campaign_id)
        wrong = {key for key in expected.keys() | stored.keys() if expected.get(key, 0) != stored.get(key, 0)}
        if wrong:
            click.echo(f"看板统计与登记记录不一致：{len(wrong)} 项。运行 flask booths rebuild-tallies 重算。")
            raise SystemExit(1)
        click.echo("看板统计与登记记录一致。")
        return
    rows = tallies.rebuild(campaign_id)
    db.session.commit()
    click.echo(f"已按登记记录重算看板统计：{rows} 行。")
