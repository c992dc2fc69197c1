"""Argparse types that check an option's range, so that a bad value is a one-line usage error, not a crash
or a run that silently does nothing (``--batch-size 0``, ``--workers -1``, ``--delay nan``)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def _number(kind: type, what: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r}: give a finite number")
        return value

    return parse


def at_least(low: float, kind: type = int) -> Callable[[str], float]:
    """An argparse type: a number of `kind` no smaller than `low`."""
    what = "a whole number" if kind is int else "a number"
    parse = _number(kind, what)

    def check(text: str) -> float:
        value = parse(text)
        if value < low:
            raise argparse.ArgumentTypeError(f"{text!r}: must be at least {low:g}")
        return value

    check.__name__ = f"{what} >= {low:g}"  # argparse names the type by this in its messages
    return check


positive_int = at_least(1)
non_negative_int = at_least(0)
non_negative_float = at_least(0.0, float)
