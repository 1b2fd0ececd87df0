"""Mainland phone numbers as people type them: units' contact phones and citizens' numbers alike."""

import re

_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# An optional area code (0571- or (0571)), a local number of 7–8 digits that never starts with 0 or 1,
# and an optional extension (-123, 转123, #123, ext123).
_LANDLINE = re.compile(r"(?:0\d{2,3}-?|\(0\d{2,3}\))?[2-9]\d{6,7}(?:(?:-|转|#|ext\.?)\d{1,6})?", re.IGNORECASE)
# Chinese input methods and Word tables give full-width digits, dashes and brackets.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－（）＋＃", "0123456789-()+#")


def normalize_phone(value) -> str:
    """Full-width characters to ASCII, spaces and invisible characters dropped."""
    if value is None:
        return ""
    text = str(value).replace("\ufeff", "").replace("\u200b", "").translate(_FULL_WIDTH)
    return re.sub(r"\s+", "", text)


def clean_phone(value) -> str | None:
    """A mainland mobile (13812345678, +86 dropped) or landline (0571-88886666, 88886666, with an extension);
    None for anything else. A mobile may be written in groups (138-0000-0203, +86 138 0000 0203), as business
    cards print it: cleaned to its 11 digits."""
    phone = normalize_phone(value)
    # Dashes only group a mobile's digits; in a landline they separate the area code and the extension.
    mobile = _MOBILE.fullmatch(phone.replace("-", ""))
    if mobile:
        return mobile.group(1)
    return phone if _LANDLINE.fullmatch(phone) else None


def valid_phone(value) -> bool:
    return clean_phone(value) is not None


# A phone number typed into free text ("请回电13812345678", "电话:0571-8888 6666"): a mobile, with its
# separators, or a landline with its area code (without one, eight digits are as likely an amount or a date).
_PHONE_IN_TEXT = re.compile(
    r"(?<![\d０-９])(?:(?:\+|＋)?(?:86|８６)[-－\s]?)?[1１][3-9３-９][\d０-９](?:[-－\s]?[\d０-９]{4}){2}(?![\d０-９])"
    r"|(?<![\d０-９])[(（]?[0０][\d０-９]{2,3}[)）]?[-－\s]?[2-9２-９][\d０-９]{2,3}[-－\s]?[\d０-９]{4}(?![\d０-９])"
)
PHONE_REMOVED = "[电话已清除]"


def remove_phone_numbers(text: str) -> str:
    """The text with every phone number in it replaced by PHONE_REMOVED (for the purge of personal data)."""
    return _PHONE_IN_TEXT.sub(PHONE_REMOVED, text or "")
