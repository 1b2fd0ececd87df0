"""The sign-in, password, profile and accounts forms. The rules (the password rule, what a login, phone or e-mail
may be) are checked by the services; the forms only say what is missing or too long."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from campaign.auth.accounts import NAME_MAX, USERNAME_MAX
from campaign.auth.models import ROLE_ORGANIZER, ROLE_UNIT
from campaign.auth.passwords import MAX_LENGTH, RULE_HINT
from campaign.units.services import EMAIL_MAX, PHONE_MAX, clean_text
from campaign.web.forms import choices, optional_id


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请输入用户名。")), Length(max=64)])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请输入密码。")), Length(max=MAX_LENGTH)])


def _new_password(label):
    return PasswordField(label, description=RULE_HINT, validators=[DataRequired(_l("请输入新密码。"))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请输入当前密码。"))])
    new_password = _new_password(_l("新密码"))
    confirm = PasswordField(
        _l("再次输入新密码"), validators=[EqualTo("new_password", message=_l("两次输入的新密码不一致。"))]
    )


class SetPasswordForm(FlaskForm):
    """The first sign-in through a one-time link: the owner chooses their password."""

    password = _new_password(_l("设置密码"))
    confirm = PasswordField(_l("再次输入密码"), validators=[EqualTo("password", message=_l("两次输入的密码不一致。"))])


class ContactFieldsForm(FlaskForm):
    display_name = StringField(
        _l("姓名"), filters=[clean_text],
        validators=[DataRequired(_l("请输入姓名。")), Length(max=NAME_MAX, message=_l("姓名不能超过%(max)d个字。"))],
    )
    phone = StringField(_l("手机或电话"), filters=[clean_text],
                        validators=[Length(max=PHONE_MAX, message=_l("电话号码太长。"))])
    email = StringField(_l("电子邮箱"), filters=[clean_text],
                        validators=[Length(max=EMAIL_MAX, message=_l("电子邮箱太长。"))])


class ProfileForm(ContactFieldsForm):
    pass


class AccountForm(ContactFieldsForm):
    username = StringField(
        _l("登录名"), filters=[clean_text],
        validators=[DataRequired(_l("请输入登录名。")), Length(max=USERNAME_MAX, message=_l("登录名太长。"))],
    )
    role = SelectField(_l("角色"), choices=choices([(ROLE_UNIT, _l("单位联络员")), (ROLE_ORGANIZER, _l("组织者"))]),
                       default=ROLE_UNIT)
    unit_id = SelectField(_l("单位"), coerce=optional_id, validate_choice=False)
    # The submission's id: the same form sent twice makes one account and one link.
    batch = HiddenField()


class BatchForm(FlaskForm):
    """A button that makes links (reset, re-invite, bulk invite): its batch id makes a repeated submission harmless."""

    batch = HiddenField()
