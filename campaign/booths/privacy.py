"""Masking of the personal information a consultation may carry: shown masked unless there is a reason."""

import re

# Two-character surnames: 欧阳娜娜 is 欧阳**, not 欧***, so the masked name still reads as a surname.
COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "司空", "夏侯", "轩辕", "令狐",
    "钟离", "澹台", "独孤", "南宫", "端木", "西门", "呼延", "百里", "东郭", "申屠", "闻人", "万俟", "赫连", "濮阳", "太史", "淳于",
    "公冶", "仲孙", "亓官", "公羊", "梁丘", "左丘",
))
# Beijing and the 02x cities have three-digit area codes (with the 0); every other area code has four.
_THREE_DIGIT_AREA = re.compile(r"^0(10|2\d)")


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**; a lone surname stays as it is."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_phone(phone: str | None) -> str:
    """13812341234 → 138****1234; 0571-88886666 → 0571-****6666; anything else keeps only its last four digits."""
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if not digits:
        return ""
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1\d{10}", digits):
        return f"{digits[:3]}****{digits[-4:]}"
    if digits.startswith("0") and len(digits) >= 10:
        area_length = 3 if _THREE_DIGIT_AREA.match(digits) else 4
        area, number = digits[:area_length], digits[area_length:]
        return f"{area}-{'*' * max(len(number) - 4, 1)}{number[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]
