"""Exceptions that name the culprit (file, line, URL) so a user can act on them."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a user-facing error with a clear message."""


class InputError(PipelineError):
    """Bad input: a wrong path, a broken JSON line, malformed data."""


class FetchError(PipelineError):
    """A URL could not be fetched after retries."""
