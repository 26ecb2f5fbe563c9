"""The project store: the SQLite file, its migrations, documents and codings.

:mod:`project` opens, creates and migrates ``codeer.db``; :mod:`documents` finds and lists
documents and their turns; :mod:`codings` is the one query every export, matrix and report
counts with (which statuses count, code paths, the segments CSV).
"""
