"""Helpers for the analysts' notebooks: counts over every month or year in range (gaps kept as zeros), the
largest reported figures per unit and subject (never added together), labels shortened with an ellipsis, and
plots with integer count axes and a real date axis.

The data helpers are pure pandas; matplotlib is imported only by the plotting helpers (the notebooks extra).
They accept the exported tables both as they are written now (dates as text, lists as "a; b" text, booleans
as 0/1) and typed (dates, lists, booleans).
"""

from __future__ import annotations

import json

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from pipeline.vocab import table

ELLIPSIS = "…"
LANGUAGE_GROUPS = ("en", "nl", "fr", "other")
NO_SUBJECT = "(no subject)"
MONTH_WIDTH_DAYS = 26  # a bar of a monthly chart: most of a month, so that neighbouring months stay apart


def shorten(text: Any, width: int = 40) -> str:
    """`text` on one line in at most `width` characters; a cut one ends with "…" (at a word boundary when
    that keeps at least two thirds of the room)."""
    if width < 2:
        raise ValueError(f"width {width}: at least 2 characters are needed for a shortened label")
    line = " ".join(str(text).split()) if text is not None and not _missing(text) else ""
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    space = cut.rfind(" ")
    if space >= (2 * width) // 3:
        cut = cut[:space]
    cut = cut.rstrip(" ,;:-–—") or line[: width - 1]
    return cut + ELLIPSIS


def excerpt(sentence: Any, text: Any, width: int = 60) -> str:
    """The part of `sentence` around `text` (a figure as written) in at most `width` characters, with "…"
    where the sentence is cut; the sentence shortened from its start if `text` is not in it or too long."""
    line = shorten(sentence, 10**9)
    part = shorten(text, 10**9)
    if len(line) <= width:
        return line
    at = line.find(part) if part else -1
    if at < 0 or len(part) + 2 > width:
        return shorten(line, width)
    room = width - len(part) - 2  # an ellipsis on each side
    right = min(len(line) - at - len(part), room - min(at, room // 2))
    left = min(at, room - right)
    start, end = at - left, at + len(part) + right
    if start > 0 and line[start - 1] != " " and " " in line[start:at]:  # no half words at the cuts
        start = line.index(" ", start, at) + 1
    if end < len(line) and line[end] != " " and " " in line[at + len(part):end]:
        end = line.rindex(" ", at + len(part), end)
    out = line[start:end]
    if start > 0:
        out = ELLIPSIS + out.lstrip()
    if end < len(line):
        out = out.rstrip() + ELLIPSIS
    return out


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values
        return False


def as_list(value: Any) -> list[str]:
    """A list column's value as a list: typed lists and arrays as they are, JSON array text (CSV, SQLite) parsed,
    older "a; b" text split, nothing as []."""
    if value is None:
        return []
    if isinstance(value, str):
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if isinstance(parsed, list):
                return as_list(parsed)
        return [part.strip() for part in value.split(";") if part.strip()]
    if not hasattr(value, "__iter__"):
        return [] if _missing(value) else [str(value)]
    return [str(v) for v in value if v is not None and str(v).strip()]


def as_bool(values: pd.Series) -> pd.Series:
    """A boolean column whether stored as bool or as 0/1 (missing counts as False)."""
    return values.astype("boolean").fillna(False).astype(bool)


def language_group(lang: Any) -> str:
    """English, Dutch and French as themselves; every other language (or none) as "other"."""
    return lang if lang in LANGUAGE_GROUPS[:-1] else "other"


def to_dates(values: Iterable[Any]) -> pd.Series:
    """Dates from text ("2013-04-05"), dates or timestamps (with or without zone) as naive days; unreadable
    or missing ones as NaT."""
    series = pd.Series(list(values) if not isinstance(values, pd.Series) else values, dtype="object")
    out = pd.to_datetime(series.map(lambda v: None if _missing(v) else str(v)[:10]), errors="coerce",
                         format="%Y-%m-%d")
    return out


def months_in_range(first: Any, last: Any) -> pd.DatetimeIndex:
    """Every calendar month from the month of `first` to the month of `last`, as month starts."""
    start = pd.Timestamp(first).to_period("M").to_timestamp()
    end = pd.Timestamp(last).to_period("M").to_timestamp()
    return pd.date_range(start, end, freq="MS", name="month")


def per_month(dates: Iterable[Any], groups: Iterable[Any] | None = None,
              columns: Sequence[str] | None = None) -> pd.DataFrame:
    """How many items fall in each calendar month, one column per group (one column "count" without groups).

    Rows are every month from the first dated item to the last, months without items included as zeros, so
    that a gap in the blog shows as a gap. Undated items are left out (count them with `to_dates(...).isna()`).
    `columns` fixes the columns and their order (absent groups as zeros, other groups left out)."""
    days = to_dates(dates)
    keys = pd.Series(["count"] * len(days) if groups is None else list(groups), index=days.index, dtype="object")
    dated = days.notna()
    days, keys = days[dated], keys[dated]
    cols = list(columns) if columns is not None else sorted(set(keys))
    if days.empty:
        return pd.DataFrame(columns=cols, index=pd.DatetimeIndex([], name="month"), dtype="int64")
    months = days.dt.to_period("M").dt.to_timestamp()
    counts = pd.crosstab(months, keys)
    counts = counts.reindex(index=months_in_range(days.min(), days.max()), columns=cols, fill_value=0)
    counts.columns.name = None
    return counts.astype("int64")


def per_year(years: Iterable[Any], groups: Iterable[Any] | None = None, columns: Sequence[Any] | None = None,
             span: tuple[int, int] | None = None) -> pd.DataFrame:
    """How many items fall in each year, one column per group; rows are every year from the first to the last
    (or over `span`, first and last year included), years without items as zeros."""
    ys = pd.to_numeric(pd.Series(list(years), dtype="object"), errors="coerce")
    keys = pd.Series(["count"] * len(ys) if groups is None else list(groups), index=ys.index, dtype="object")
    known = ys.notna()
    ys, keys = ys[known].astype("int64"), keys[known]
    cols = list(columns) if columns is not None else sorted(set(keys), key=str)
    if span is None and ys.empty:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="year", dtype="int64"), dtype="int64")
    first, last = span if span is not None else (int(ys.min()), int(ys.max()))
    counts = pd.crosstab(ys, keys) if not ys.empty else pd.DataFrame()
    index = pd.Index(range(first, last + 1), name="year")
    counts = counts.reindex(index=index, columns=cols, fill_value=0)
    counts.columns.name = None
    return counts.astype("int64")


def year_span(years: Iterable[Any]) -> tuple[int, int] | None:
    """The first and last year of `years` (None if there is none)."""
    ys = pd.to_numeric(pd.Series(list(years), dtype="object"), errors="coerce").dropna()
    return (int(ys.min()), int(ys.max())) if not ys.empty else None


def top_by_subject(figures: pd.DataFrame, units: Iterable[str] | None = None, per_subject: int = 3,
                   subjects: int = 8) -> pd.DataFrame:
    """The largest figures reported for each unit and subject, each with its sentence; nothing is added up.

    For each unit (all, or those in `units`), the `subjects` subjects with the largest figure, and for each of
    them its `per_subject` largest figures, largest first; units in the order of `units` (else by name). A
    figure without a subject counts under
    "(no subject)". The same value in the same sentence counts once (a post repeated on the blog)."""
    cols = ["unit", "subject", "value", "text", "sentence", "post_id"]
    extra = [c for c in ("date", "country", "approx", "qualifier") if c in figures.columns]
    if figures.empty:
        return pd.DataFrame(columns=cols + extra)
    f = figures.copy()
    if units is not None:
        f = f[f["unit"].isin(list(units))]
    f = f[pd.to_numeric(f["value"], errors="coerce").notna()]
    f["value"] = f["value"].astype(float)
    f["subject"] = f["subject"].where(f["subject"].notna() & (f["subject"].astype(str).str.strip() != ""),
                                      NO_SUBJECT)
    f = f.drop_duplicates(["unit", "subject", "value", "sentence"])
    f = f.sort_values(["unit", "subject", "value", "post_id"], ascending=[True, True, False, True], kind="stable")
    f = f.groupby(["unit", "subject"], sort=False).head(per_subject)
    best = f.groupby(["unit", "subject"])["value"].max().rename("best").reset_index()
    best = best.sort_values(["unit", "best", "subject"], ascending=[True, False, True], kind="stable")
    best = best.groupby("unit", sort=False).head(subjects)
    if units is not None:  # units in the order asked for, each with its subjects largest first
        order = {u: k for k, u in enumerate(dict.fromkeys(units))}
        best = best.assign(by_unit=best["unit"].map(order)).sort_values(["by_unit", "best", "subject"],
                                                                         ascending=[True, False, True], kind="stable")
    best["rank"] = range(len(best))
    out = f.merge(best[["unit", "subject", "rank"]], on=["unit", "subject"])
    out = out.sort_values(["rank", "value"], ascending=[True, False], kind="stable")
    return out[cols + extra].reset_index(drop=True)


@cache
def _unit_kinds() -> dict[str, str]:
    return {r["unit"]: r["kind"] for r in table("units") if r["kind"] != "count"}


def unit_kind(unit: Any) -> str:
    """What a figure's unit is (``pipeline/data/units.csv``): "percent", "currency" (an ISO 4217 code), "time"
    (days, hours, ...), "count" (any other unit: a counted noun) or "none" (a figure without a unit)."""
    if unit is None or _missing(unit) or not str(unit).strip():
        return "none"
    return _unit_kinds().get(str(unit), "count")


def counted_units(figures: pd.DataFrame, least: int = 1) -> list[str]:
    """Units of counts (people, workers, members, not percentages, currencies or durations), most reported
    first; units reported fewer than `least` times are left out."""
    units = figures["unit"].dropna()
    units = units[units.map(unit_kind) == "count"]
    n = units.value_counts()
    n = n[n >= least]
    return sorted(n.index, key=lambda u: (-int(n[u]), str(u)))


# ---- plotting (matplotlib from the notebooks extra) ----

def integer_axis(ax: Any, axis: str = "y") -> None:
    """Ticks of a count axis on whole numbers only."""
    from matplotlib.ticker import MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(MaxNLocator(integer=True))


def nothing(ax: Any, message: str) -> None:
    """Say on the plot that there is nothing to show, rather than failing."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def barh(ax: Any, labels: Sequence[Any], values: Sequence[float], width: int = 45, colors: Sequence[Any] | None = None,
         annotate: bool = False, counts: bool = True) -> None:
    """Horizontal bars, the first at the top, one per label even when two labels read alike (labels shortened
    with an ellipsis); `annotate` writes each value at the end of its bar; `counts` puts whole numbers on the
    value axis."""
    n = len(values)
    ys = [n - 1 - i for i in range(n)]
    ax.barh(ys, list(values), color=list(colors) if colors is not None else None)
    ax.set_yticks(ys, [shorten(label, width) for label in labels])
    ax.set_ylim(-0.6, n - 0.4)
    if annotate:
        for y, value in zip(ys, values, strict=True):
            ax.text(value, y, f" {value:,.0f}" if float(value).is_integer() else f" {value:,.2f}", va="center",
                    fontsize=8)
    if counts:
        integer_axis(ax, "x")


def monthly_bars(ax: Any, counts: pd.DataFrame, ylabel: str = "posts") -> None:
    """Stacked bars of `per_month` counts on a real date axis: one bar per month, empty months left empty."""
    import matplotlib.dates as mdates

    bottom = pd.Series(0, index=counts.index, dtype="int64")
    width = pd.Timedelta(days=MONTH_WIDTH_DAYS)
    for k, col in enumerate(counts.columns):
        if counts[col].sum() == 0:
            continue  # nothing to draw; the colour of the column stays its own, whatever the others
        ax.bar(counts.index, counts[col], width=width, bottom=bottom, align="edge", label=str(col), color=f"C{k % 10}")
        bottom = bottom + counts[col]
    if len(counts.index):
        ax.set_xlim(counts.index[0] - pd.Timedelta(days=15), counts.index[-1] + pd.Timedelta(days=45))
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_ylabel(ylabel)
    integer_axis(ax)


def heatmap(ax: Any, frame: pd.DataFrame, cmap: str = "Blues", label: str = "posts", width: int = 40,
            rotate: int | None = None) -> Any:
    """Counts of `frame` (rows by columns) as a heatmap with every row and column labelled (labels shortened
    with an ellipsis), cells written out when there are few, and a colour bar on whole numbers."""
    from matplotlib.ticker import MaxNLocator

    values = frame.to_numpy()
    im = ax.imshow(values, aspect="auto", cmap=cmap, vmin=0, vmax=max(1, int(values.max()) if values.size else 1))
    ax.set_yticks(range(len(frame.index)), [shorten(v, width) for v in frame.index])
    columns = [shorten(v, width) for v in frame.columns]
    if rotate is None:  # years side by side when they fit, else upright
        rotate = 0 if len(columns) <= 20 and all(len(c) <= 4 for c in columns) else 90
    ax.set_xticks(range(len(frame.columns)), columns, rotation=rotate,
                  ha="center" if rotate in (0, 90) else "right")
    if values.size <= 400:
        top = values.max() if values.size else 0
        for (i, j), v in np.ndenumerate(values):
            if v:
                ax.text(j, i, str(int(v)), ha="center", va="center", fontsize=7,
                        color="white" if v > top * 0.6 else "black")
    ax.grid(False)
    bar = ax.figure.colorbar(im, ax=ax, label=label)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    return im
