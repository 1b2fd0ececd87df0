"""Rendering shared by every document (plan, summaries, report): PDF through WeasyPrint, DOCX through python-docx.

Both follow the official layout of GB/T 9704-2012: A4, 3号 仿宋 body on a 22-line grid, 小标宋 titles,
黑体/楷体 headings and "— N —" page numbers on the outside edge.
"""
