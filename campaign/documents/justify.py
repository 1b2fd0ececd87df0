"""Justification of Chinese lines for WeasyPrint, which by itself justifies only by widening spaces.

Official documents are set justified: every line of a paragraph but its last ends flush with the right edge of the
type area. A line of Chinese has no spaces, so WeasyPrint leaves it ragged wherever a half-width digit, a Latin
word or a punctuation mark that may not start a line has shortened it; and a line with one space gets the whole
shortfall in that space, tearing "1. " apart. CSS's answer (text-justify: inter-character) WeasyPrint does not
implement, so this module replaces its justify_line: a line with Chinese in it spreads the shortfall evenly over
the gaps between all its characters (as Word and WPS do), and so does a line without any space (a long address
broken across lines); a line of Latin words keeps WeasyPrint's own justification.
Installed once, when WeasyPrint is first imported (campaign/documents/pdf.py).
"""

import functools

# Characters that make a line "Chinese": CJK radicals to Yi, compatibility ideographs and forms, full-width forms,
# and the supplementary ideographic planes.
CJK_RANGES = ((0x2E80, 0xA4CF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))


# The most a gap between two characters is widened: about what a line that lost a character to a line-start rule
# needs (1 em over 27 gaps), with room to spare.
MOST_SPACING_EM = 0.1


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(first <= code <= last for first, last in CJK_RANGES)


@functools.cache
def install() -> None:
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text.line_break import create_layout

    keep_spaces_only = inline.justify_line

    def text_boxes(box):
        if isinstance(box, boxes.TextBox):
            yield box
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                if child.is_in_normal_flow():
                    yield from text_boxes(child)

    def spread(context, box, per_char: float, x_advance: float) -> float:
        """Move `box` right by x_advance and widen its text by per_char after each character; return the advance
        for what follows (as WeasyPrint's add_word_spacing does for spaces)."""
        if isinstance(box, boxes.TextBox):
            box.position_x += x_advance
            if box.text:
                style = box.style.copy()
                spacing = style["letter_spacing"]
                style["letter_spacing"] = (0 if spacing == "normal" else spacing) + per_char
                box.style = style
                layout = create_layout(box.text, style, context, max_width=None, justification_spacing=0)
                layout.deactivate()
                box.pango_layout = layout
                extra = per_char * len(box.text)
                box.width += extra
                x_advance += extra
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            for child in box.children:
                if child.is_in_normal_flow():
                    x_advance = spread(context, child, per_char, x_advance)
            box.width += x_advance - before
        else:  # an atomic inline box (an image): moved, never stretched
            box.translate(x_advance, 0)
        return x_advance

    def justify_line(context, line, extra_width):
        text = "".join(box.text for box in text_boxes(line)).rstrip()
        # Latin words are stretched at their spaces; a line of Chinese, or one without a space to stretch (a long
        # address broken across lines), between its characters.
        if extra_width <= 0 or (" " in text and not any(is_cjk(char) for char in text)):
            return keep_spaces_only(context, line, extra_width)
        gaps = len(text) - 1
        if gaps <= 0:
            return None
        per_gap = extra_width / gaps
        # A line cut short before a long unbreakable string (a web address) is left as it is rather than spaced
        # out letter by letter.
        if per_gap > MOST_SPACING_EM * line.style["font_size"]:
            return None
        # The last character's spacing falls past the end of the line, so the gaps share the whole shortfall.
        spread(context, line, per_gap, 0)
        return None

    inline.justify_line = justify_line
