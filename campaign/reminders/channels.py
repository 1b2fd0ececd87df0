"""The ways a reminder goes out: e-mail (shared/mail.py), the 企业微信 and 钉钉 group robots, and an SMS gateway.

The robots' documented message format (both take the same text message):
    {"msgtype": "text", "text": {"content": "…"}}
posted as JSON to the robot's webhook URL; both answer HTTP 200 with {"errcode": 0, …} when they took it, and a
non-zero errcode with errmsg when not (a bad key, too many messages a minute).

The SMS gateway is the office's own (each province's differs): an HTTPS POST to its URL of the office's template with
{unit} {contact} {phone} {message} filled in; JSON if the template is JSON, else form text. Any 2xx answer is taken.
"""

import json
import re
import smtplib
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from urllib.parse import parse_qsl, urlsplit

from flask_babel import gettext as _

from campaign.reminders.models import CHANNEL_DINGTALK, CHANNEL_WECOM
from campaign.shared.mail import SmtpSettings, connect
from campaign.web.refusal import Refusal

HTTP_TIMEOUT = 15
ROBOT_HOSTS = {CHANNEL_WECOM: "qyapi.weixin.qq.com", CHANNEL_DINGTALK: "oapi.dingtalk.com"}
# The query parameter that carries the robot's key in the webhook address each robot's settings give.
ROBOT_KEYS = {CHANNEL_WECOM: "key", CHANNEL_DINGTALK: "access_token"}
SMS_PLACEHOLDERS = ("unit", "contact", "phone", "message")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class SendFailed(Exception):
    """A send that did not go through, with the reason the organizer is shown."""


def check_url(channel: str, url: str, allowed_hosts: dict[str, str] | None = None) -> str:
    """The webhook URL as entered, or a refusal: https only; a robot's URL on that robot's own host.
    `allowed_hosts` replaces ROBOT_HOSTS (the tests' local robot server, REMINDER_ROBOT_HOSTS)."""
    url = url.strip()
    parts = urlsplit(url)
    hosts = allowed_hosts if allowed_hosts is not None else ROBOT_HOSTS
    if parts.scheme != "https" and not (allowed_hosts and parts.scheme == "http"):
        raise Refusal(_("网址须以 https:// 开头。"), field="url")
    if not parts.hostname:
        raise Refusal(_("网址不完整，请从群机器人设置中复制完整的网址。"), field="url")
    if channel in ROBOT_HOSTS and parts.hostname != hosts.get(channel):
        raise Refusal(_("这不是该群机器人的网址：应为 %(host)s 上的网址。", host=ROBOT_HOSTS[channel]), field="url")
    if channel in ROBOT_KEYS and not any(value for name, value in parse_qsl(parts.query) if name == ROBOT_KEYS[channel]):
        raise Refusal(_("网址中缺少机器人的 %(name)s=…，请从群机器人设置中复制完整的网址。", name=ROBOT_KEYS[channel]),
                      field="url")
    return url


def check_template(template: str) -> str:
    """The SMS template, or a refusal naming a placeholder it does not know (a typo would send "{unti}")."""
    unknown = sorted(set(PLACEHOLDER.findall(template)) - set(SMS_PLACEHOLDERS))
    if unknown:
        raise Refusal(_("短信模板中有不认识的占位符：%(names)s。可用的有：%(known)s。",
                        names="、".join(f"{{{name}}}" for name in unknown),
                        known="、".join(f"{{{name}}}" for name in SMS_PLACEHOLDERS)), field="template")
    if "{message}" not in template:
        raise Refusal(_("短信模板须包含 {message}（提醒内容）。"), field="template")
    return template


def send_email(settings: SmtpSettings | None, build: Callable[[SmtpSettings], EmailMessage]) -> None:
    """`build` writes the message once the settings (its From) are known to exist."""
    if settings is None or not settings.sender:
        raise SendFailed(_("未配置邮件服务器（SMTP_HOST、SMTP_FROM）"))
    message = build(settings)
    try:
        server = connect(settings)
    except (OSError, smtplib.SMTPException) as failure:
        raise SendFailed(_("无法连接邮件服务器：%(error)s", error=str(failure) or type(failure).__name__)) from None
    try:
        server.send_message(message)
    except smtplib.SMTPRecipientsRefused:
        raise SendFailed(_("收件地址被邮件服务器拒收")) from None
    except (OSError, smtplib.SMTPException) as failure:
        raise SendFailed(str(failure) or type(failure).__name__) from None
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()


def _post(url: str, body: bytes, content_type: str) -> bytes:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310  # https checked on save
            return response.read(65536)
    except urllib.error.HTTPError as failure:
        raise SendFailed(_("对方回答 HTTP %(status)s", status=failure.code)) from None
    except (OSError, ValueError) as failure:
        raise SendFailed(_("无法连接：%(error)s", error=str(getattr(failure, "reason", "")) or type(failure).__name__)) from None


def robot_body(content: str) -> dict:
    return {"msgtype": "text", "text": {"content": content}}


def send_robot(url: str, content: str) -> None:
    answer_bytes = _post(url, json.dumps(robot_body(content), ensure_ascii=False).encode(), "application/json; charset=utf-8")
    try:
        answer = json.loads(answer_bytes)
    except ValueError:
        raise SendFailed(_("群机器人的回答不是 JSON")) from None
    if not isinstance(answer, dict):
        raise SendFailed(_("群机器人的回答不是 JSON"))
    if answer.get("errcode", 0) != 0:
        raise SendFailed(_("群机器人拒绝：%(error)s", error=f"{answer.get('errcode')} {answer.get('errmsg', '')}".strip()))


def is_json_template(template: str) -> bool:
    return template.lstrip().startswith("{") and not PLACEHOLDER.fullmatch(template.strip())


def sms_body(template: str, **values: str) -> str:
    """The template with its placeholders filled; in a JSON template each value as a JSON string's inside."""
    as_json = is_json_template(template)

    def fill(match: re.Match) -> str:
        value = values.get(match.group(1), "")
        return json.dumps(value, ensure_ascii=False)[1:-1] if as_json else value

    return PLACEHOLDER.sub(fill, template)


def send_sms(url: str, template: str, **values: str) -> None:
    content_type = "application/json; charset=utf-8" if is_json_template(template) else "text/plain; charset=utf-8"
    _post(url, sms_body(template, **values).encode(), content_type)
