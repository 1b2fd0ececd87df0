"""从方案文件导入: a plan read from its text or Word file, previewed, and saved on confirmation (issue 14).

parser.py reads text into structure.py's fields (text.py cleans lines and knows web debris, times.py reads dates and
times); wordfile.py turns a .docx into text or refuses it; draft.py is the preview's data and the units' matches
(units/names.py); printing.py shows each activity as it will print; saving.py makes the campaign on 确认导入.
"""
