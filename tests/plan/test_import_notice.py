"""A notice titled as many offices title it — 关于开展…活动的通知, not 关于印发《方案》的通知 — copied from a web page
with straight quotes and a theme of two halves: the notice is read whole, and the issued document prints the office's
title, quotes and theme as written. The notice title is the office's to write, and follows the plan's title while it
is left as drafted."""

import re
import subprocess

import sqlalchemy as sa

from campaign.plan.importing.draft import parsed
from campaign.plan.importing.text import clean_line, phrases_kept
from campaign.plan.models import Campaign
from campaign.web.extensions import db
from tests.plan.formreader import form_values

CONFIRM = "/campaigns/import/confirm"

# As copied from 云岭区's portal: page debris around it, ASCII commas, colons and straight quotes.
YUNLING = """\
首页 > 政务公开 > 通知公告
字号:[大 中 小]   浏览:1,203次   来源:区政府办公室
关于开展2023年"5·15政务公开日"活动的通知
各镇人民政府、街道办事处,区政府各部门,区直各单位:
    根据《市政务公开办关于组织开展2023年"5·15政务公开日"活动的通知》(云政公开办〔2023〕3号)要求,经区政府同意,现将《云岭区2023年"5·15政务公开日"活动方案》印发给你们,请认真组织实施。
云岭区政务公开办公室
2023年5月6日
(此件公开发布)
云岭区2023年"5·15政务公开日"活动方案
    为深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署,特制定本方案。
一、活动主题
   公开惠民生 服务暖人心
二、活动形式
   线上线下相结合。
三、活动时间
   2023年5月15日(星期一)
四、活动内容
(一)线下集中宣传
1.政务公开集中宣传咨询活动
活动时间:2023年5月15日上午9:00-11:30
活动地点:区政务服务中心一楼大厅
牵头单位:区政务公开办
配合单位:区人社局、区医保局等
(二)线上宣传
2.网上政策解读
活动时间:5月10日至5月20日
参加单位:区政务公开办
五、活动要求
(一)各单位要高度重视。
(二)请各单位于5月19日前将活动总结报送区政务公开办。
附件:宣传标语
附件
宣传标语
1.推进政务公开    建设法治政府
版权所有:云岭区人民政府  网站标识码:5301000001
"""


def test_the_notice_is_read_whatever_its_title_with_straight_quotes_made_curly():
    plan = parsed(YUNLING)
    assert plan["notice_title"].value == "关于开展2023年“5·15政务公开日”活动的通知"
    assert plan["notice_title"].line == 3
    assert plan["addressees"].value == "各镇人民政府、街道办事处，区政府各部门，区直各单位："
    assert plan["basis_title"].value == "市政务公开办关于组织开展2023年“5·15政务公开日”活动的通知"
    assert plan["basis_number"].value == "云政公开办〔2023〕3号"
    assert (plan["issuing_office"].value, plan["issue_date"].value) == ("云岭区政务公开办公室", "2023年5月6日")
    assert plan["title"].value == "云岭区2023年“5·15政务公开日”活动方案"
    assert plan["theme"].value == "公开惠民生 服务暖人心"


def test_a_page_listing_related_notices_is_not_taken_for_the_notice():
    """A 关于…通知 with no addressees after it (a page's list of links) is not the notice; without addressees at
    all, only a 关于印发… title is."""
    listed = "相关链接\n关于做好2023年政务公开工作的通知\n" + YUNLING
    assert parsed(listed)["notice_title"].value == "关于开展2023年“5·15政务公开日”活动的通知"
    unaddressed = listed.replace("各镇人民政府、街道办事处,区政府各部门,区直各单位:\n", "")
    assert parsed(unaddressed)["notice_title"].value == ""
    printed = unaddressed.replace('关于开展2023年"5·15政务公开日"活动的通知',
                                  '关于印发《云岭区2023年"5·15政务公开日"活动方案》的通知')
    assert parsed(printed)["notice_title"].value == "关于印发《云岭区2023年“5·15政务公开日”活动方案》的通知"


def test_phrases_and_quotes():
    assert phrases_kept("公开惠民生　服务暖人心") == "公开惠民生　服务暖人心"
    assert phrases_kept("活 动 主 题") == "活动主题"  # a justified web line's spaces are stray
    assert phrases_kept("坚持依法行政, 深化政务公开") == "坚持依法行政，深化政务公开"
    assert clean_line('开展"群众难题我来答"活动') == "开展“群众难题我来答”活动"
    assert clean_line('他说"好') == '他说"好'  # an unpaired quote is left as it is
    assert clean_line('size="12"') == 'size="12"'  # no Chinese: not ours to change


def test_the_issued_notice_prints_the_offices_own_title(organizer_client, factory):
    factory.unit("云岭区人力资源和社会保障局", short_name="区人社局")
    factory.unit("云岭区医疗保障局", short_name="区医保局")
    factory.unit("云岭区政务公开办公室", short_name="区政务公开办")
    response = organizer_client.submit("/campaigns/import/", {"text": YUNLING, "year": "2023"},
                                       content_type="multipart/form-data")
    form = form_values(response.get_data(as_text=True), CONFIRM)
    assert form["c-notice_title"] == "关于开展2023年“5·15政务公开日”活动的通知"
    form["action"] = "import"
    response = organizer_client.post(CONFIRM, data=form)
    assert response.status_code == 302, re.findall(r'role="alert">([^<]+)', response.get_data(as_text=True))
    campaign = db.session.scalar(sa.select(Campaign))
    assert campaign.notice_title == "关于开展2023年“5·15政务公开日”活动的通知"
    assert organizer_client.submit(f"/campaigns/{campaign.id}/status",
                                   {"status": "issued", "without_number": "1"}).status_code == 302
    pdf = organizer_client.get(f"/campaigns/{campaign.id}/plan/pdf").data
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                             check=True).stdout.decode())
    assert "关于开展2023年“5·15政务公开日”活动的通知" in text and "关于印发" not in text
    assert "公开惠民生服务暖人心" in text  # pdftotext's spacing aside, the theme as written


def test_a_notice_title_left_as_drafted_follows_the_plan_title_and_an_own_one_stays(organizer_client, factory):
    campaign = factory.campaign(title="临江区2025年“5·15政务公开日”活动方案")
    url = f"/campaigns/{campaign.id}/edit"
    form = {**form_values(organizer_client.get(url).get_data(as_text=True), None), "time_style": "cn"}
    assert form["notice_title"] == "关于印发《临江区2025年“5·15政务公开日”活动方案》的通知"
    form["title"] = "临江区2025年第十九届“5·15政务公开日”活动方案"
    assert organizer_client.post(url, data=form).status_code == 302
    db.session.refresh(campaign)
    assert campaign.notice_title == ""  # as drafted: it follows the title
    form = {**form_values(organizer_client.get(url).get_data(as_text=True), None), "time_style": "cn"}
    assert form["notice_title"] == "关于印发《临江区2025年第十九届“5·15政务公开日”活动方案》的通知"

    form["notice_title"] = "关于开展第十九届“5·15政务公开日”活动的通知"
    assert organizer_client.post(url, data=form).status_code == 302
    form["title"] = "临江区2025年政务公开日活动方案"
    assert organizer_client.post(url, data=form).status_code == 302
    db.session.refresh(campaign)
    assert campaign.notice_title == "关于开展第十九届“5·15政务公开日”活动的通知"

    form["notice_title"] = "关" * 251
    page = organizer_client.post(url, data=form).get_data(as_text=True)
    assert "不能超过250个字" in page
    db.session.refresh(campaign)
    assert campaign.notice_title == "关于开展第十九届“5·15政务公开日”活动的通知"
