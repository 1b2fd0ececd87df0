from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from campaign.auth.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))])
    new_password = PasswordField(
        _l("新密码"),
        validators=[DataRequired(_l("请输入新密码。")), Length(min=MIN_LENGTH, max=MAX_LENGTH, message=_l("新密码至少 %(count)d 位。", count=MIN_LENGTH))],
    )
    confirm = PasswordField(
        _l("再次输入新密码"), validators=[EqualTo("new_password", message=_l("两次输入的新密码不一致。"))]
    )
