"""The accounts' audit log in words a clerk reads: "张敏 停用了账号 jiaoyu（王甡）"."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from campaign.shared.audit import AuditEvent, action_label, newest_events, register_action_labels
from campaign.shared.timeutil import local

register_action_labels({
    "user_created": _l("创建账号"),
    "user_updated": _l("修改账号"),
    "user_activated": _l("启用账号"),
    "user_deactivated": _l("停用账号"),
    "user_invited": _l("发送邀请链接"),
    "password_reset": _l("重置密码"),
    "password_set": _l("设置密码"),
    "password_set_by_link": _l("通过一次性链接设置密码"),
    "password_changed": _l("修改密码"),
    "profile_updated": _l("修改个人信息"),
    "signed_out_everywhere": _l("退出所有设备"),
    "login": _l("登录"),
    "login_failed": _l("登录失败"),
    "login_paused": _l("暂停密码登录"),
    "login_while_paused": _l("暂停期间尝试登录"),
    "login_pause_lifted": _l("解除登录暂停"),
})

FIELD_LABELS = {
    "username": _l("登录名"),
    "display_name": _l("姓名"),
    "role": _l("角色"),
    "unit": _l("单位"),
    "phone": _l("电话"),
    "email": _l("电子邮箱"),
}
VIA_LABELS = {"cli": _l("服务器命令行"), "demo": _l("演示数据")}
ROLE_LABELS = {"organizer": _l("组织者"), "unit": _l("单位联络员")}

# Sentences: {actor} did this to {account}. Actions done by nobody signed in (the command line, a stranger's
# failed sign-in) read without an actor.
SENTENCES = {
    "user_created": _l("%(actor)s创建了账号 %(account)s"),
    "user_updated": _l("%(actor)s修改了账号 %(account)s"),
    "user_activated": _l("%(actor)s启用了账号 %(account)s"),
    "user_deactivated": _l("%(actor)s停用了账号 %(account)s，其所有登录随即失效"),
    "user_invited": _l("%(actor)s为账号 %(account)s 生成了一次性登录链接（%(expires)s前有效）"),
    "password_reset": _l("%(actor)s重置了账号 %(account)s 的密码：原密码和所有登录失效，新链接%(expires)s前有效"),
    "password_set": _l("%(actor)s为账号 %(account)s 设置了新密码"),
    "password_set_by_link": _l("%(account)s 通过一次性链接设置了密码并登录"),
    "password_changed": _l("%(account)s 修改了自己的密码"),
    "profile_updated": _l("%(account)s 修改了自己的姓名或联系方式"),
    "signed_out_everywhere": _l("%(actor)s让账号 %(account)s 在所有设备上退出登录（%(sessions)s 处）"),
    "login": _l("%(account)s 登录"),
    "login_failed": _l("有人以 %(username)s 登录失败（来自 %(address)s）"),
    "login_paused": _l("账号 %(account)s 15 分钟内登录失败 %(failures)s 次（来自 %(addresses)s 个地址），密码登录暂停至 %(until)s"),
    "login_while_paused": _l("暂停期间有人尝试以 %(account)s 登录（来自 %(address)s）"),
    "login_pause_lifted": _l("%(actor)s解除了账号 %(account)s 的登录暂停"),
}

ACCOUNT_ACTIONS = tuple(SENTENCES)


@dataclass
class HistoryLine:
    at: datetime | None
    sentence: str
    details: list[tuple[str, str]]


def _time(value) -> str:
    try:
        return local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return "—"


def _value(name: str, value) -> str:
    if name == "role":
        return str(ROLE_LABELS.get(value, value))
    return str(value) if value not in (None, "") else "—"


def line_of(event: AuditEvent, accounts: dict[int, str]) -> HistoryLine:
    detail = dict(event.detail or {})
    account = accounts.get(event.object_id or 0) or str(detail.get("username") or "—")
    actor = event.user.display_name + " " if event.user is not None and event.user_id != event.object_id else ""
    if event.user is None and detail.get("via") in VIA_LABELS:
        actor = str(VIA_LABELS[detail["via"]]) + " "
    values = {
        "actor": actor,
        "account": account,
        "expires": _time(detail.get("expires")),
        "until": _time(detail.get("until")),
        "username": detail.get("username") or "—",
        "address": detail.get("address") or "—",
        "sessions": detail.get("sessions", 0),
        "failures": detail.get("failures", 0),
        "addresses": detail.get("addresses", 0),
    }
    template = SENTENCES.get(event.action)
    sentence = str(template) % values if template is not None else f"{action_label(event.action)} {account}"
    details = [
        (str(FIELD_LABELS.get(name, name)), f"{_value(name, change[0])} → {_value(name, change[1])}")
        for name, change in (detail.get("changes") or {}).items()
        if isinstance(change, list) and len(change) == 2
    ]
    return HistoryLine(event.at, sentence.strip(), details)


def account_history(user_ids: list[int] | None, accounts: dict[int, str], limit: int = 200) -> list[HistoryLine]:
    """The account events, newest first: of these accounts, or (None) of all."""
    conditions = [AuditEvent.object_type == "User", AuditEvent.action.in_(ACCOUNT_ACTIONS)]
    if user_ids is not None:
        conditions.append(AuditEvent.object_id.in_(user_ids))
    return [line_of(event, accounts) for event in newest_events(*conditions, limit=limit)]
