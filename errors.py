"""The one exception hierarchy of casa1000.

Every error a user can cause names the culprit (file, key or row), the bad value
and what is allowed, so the command line can print it as one line and exit with
code 2.
"""

from __future__ import annotations


class Casa1000Error(Exception):
    """Base class of every error casa1000 raises on purpose."""


class InputError(Casa1000Error, ValueError):
    """Bad user or seed input.

    Parameters
    ----------
    where
        The file, option or table the value came from (``"scenario.toml"``,
        ``"--set"``, ``"seeds/lines.csv row 4"``).
    key
        The key, column or element the value belongs to.
    value
        The offending value, as the user wrote it.
    allowed
        What would have been accepted.
    """

    def __init__(self, where: str, key: str, value: object, allowed: str) -> None:
        self.where = where
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"{where}: {key} = {value!r} is not allowed; expected {allowed}")


class StudyError(Casa1000Error):
    """A study could not be set up (not a non-convergent hour: that is a result)."""
