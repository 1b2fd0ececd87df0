"""Error pages: every failure ends in a clear page in the user's language, never a bare 500."""

from flask import render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from campaign.web.extensions import db
from campaign.web.refusal import Refusal, refused

MESSAGES = {
    400: lambda: _("请求无效，请返回上一页重试。"),
    403: lambda: _("您没有权限访问此页面。"),
    404: lambda: _("页面不存在，或已被删除。"),
    405: lambda: _("不支持此操作方式。"),
    413: lambda: _("上传的内容太大。"),
    429: lambda: _("操作过于频繁，请稍后再试。"),
    500: lambda: _("服务器出错了，我们已记录此问题，请稍后再试。"),
}


def _render(code: int, message: str | None = None):
    if request.accept_mimetypes.best == "application/json":
        return {"error": message or MESSAGES[code]()}, code
    return render_template("error.html", code=code, message=message or MESSAGES[code]()), code


def register(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, _("页面已过期或缺少安全令牌，请刷新页面后重新提交。"))

    @app.errorhandler(Refusal)
    def uncaught_refusal(refusal):
        # A service's refusal that no view showed: its message, as a bad request, rather than a server error.
        refused(refusal)
        return _render(400, refusal.message)

    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda error, code=code: _render(code))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500)
