"""One family of errors, each with a message a user can act on.

The CLI prints any :class:`SocialSeoError` as a single line and exits with status 2; anything else is a bug and
shows its traceback.
"""

from __future__ import annotations


class SocialSeoError(Exception):
    """Base class for every error a user can cause or fix."""


class InputFileError(SocialSeoError):
    """A file to import is missing, unreadable, or not of the kind expected."""


class FormatNotRecognisedError(InputFileError):
    """No reader recognised the file's format."""


class WarehouseError(SocialSeoError):
    """The warehouse cannot be opened, migrated or queried."""


class QueryError(WarehouseError):
    """A user-supplied SQL query failed."""


class NotEnoughDataError(SocialSeoError):
    """An analysis cannot conclude from the data available; the message says why."""
