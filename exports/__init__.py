"""Files the admin writes for spreadsheet programs (the audit log, 审稿单, the word list).

The lowest layer of all: every app may use it, and it imports none of them.
"""
