"""Text a unit typed, fitted into the sentences of its draft whatever punctuation it came with.

A contact types "局长王明，副局长李红。" or "王明 李红、" or "局长王明带队参加了现场活动。": a list of names reads
"局长王明、副局长李红" inside a sentence ("…高度重视"); anything else is a sentence of its own, its trailing 。，、
stripped so the draft adds exactly one 。.
"""

import re

# What may end or start a typed phrase and must not be doubled by the sentence it goes into.
EDGE_PUNCTUATION = "。，、；：,.;:！!？?　 \t\r\n"
# Separators between items of a typed list.
LIST_SEPARATORS = re.compile(r"[，,、；;/／\s]+")
# Words that make a phrase a clause (someone did something), not a name with a title.
VERBS = ("带队", "参加", "出席", "主持", "召开", "部署", "研究", "到场", "参与", "指导", "检查", "督导", "亲自", "来到",
         "组织", "安排", "会议", "讲话", "要求", "高度重视")
# A name with its title is short: 区委常委、常务副区长 张伟 is two items of a list already.
NAME_MAX_CHARS = 16


def trimmed(text: str) -> str:
    """The text without punctuation or blanks at its ends, its inner runs of blanks made one."""
    return re.sub(r"\s+", " ", (text or "").strip(EDGE_PUNCTUATION)).strip(EDGE_PUNCTUATION)


def name_list(text: str) -> str | None:
    """"局长王明、副局长李红" when the text is a list of names (with their titles); None when it is a clause."""
    core = trimmed(text)
    if not core or any(verb in core for verb in VERBS):
        return None
    items = [item for item in LIST_SEPARATORS.split(core) if item]
    if not items or any(len(item) > NAME_MAX_CHARS for item in items):
        return None
    return "、".join(items)


def as_sentence(text: str) -> str:
    """A typed phrase as one sentence of the draft: ASCII commas made Chinese, one 。 at the end; "" for nothing."""
    core = trimmed(text)
    if not core:
        return ""
    core = re.sub(r"\s*,\s*", "，", core)
    core = re.sub(r"\s*;\s*", "；", core)
    return core + "。"
