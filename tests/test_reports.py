"""The notebooks' helpers: counts over every month and year with gaps kept, labels shortened with an ellipsis,
the largest figures per unit and subject without adding any together, integer count axes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipeline.reports import (
    ELLIPSIS,
    NO_SUBJECT,
    as_bool,
    as_list,
    barh,
    counted_units,
    excerpt,
    heatmap,
    integer_axis,
    language_group,
    monthly_bars,
    months_in_range,
    per_month,
    per_year,
    shorten,
    to_dates,
    top_by_subject,
    unit_kind,
)


def test_per_month_keeps_every_month_in_range_and_counts_gaps_as_zero() -> None:
    dates = ["2010-11-30", "2010-11-02", "2011-02-14", None, "not a date", "2011-02-01"]
    counts = per_month(dates)
    assert list(counts.index.strftime("%Y-%m")) == ["2010-11", "2010-12", "2011-01", "2011-02"]
    assert counts["count"].tolist() == [2, 0, 0, 2]  # December and January are there, empty
    assert counts["count"].dtype == np.int64


def test_per_month_by_group_with_fixed_columns_across_a_year_boundary() -> None:
    dates = [dt.date(2019, 12, 31), pd.Timestamp("2020-03-01 10:00", tz="Europe/Amsterdam"), "2020-03-09"]
    langs = [language_group(v) for v in ["nl", "de", None]]
    counts = per_month(dates, langs, columns=["en", "nl", "fr", "other"])
    assert list(counts.columns) == ["en", "nl", "fr", "other"]
    assert len(counts) == 4 and counts.index[0] == pd.Timestamp("2019-12-01")
    assert counts.loc["2019-12-01"].tolist() == [0, 1, 0, 0]
    assert counts.loc["2020-03-01"].tolist() == [0, 0, 0, 2]
    assert counts.loc["2020-01-01"].sum() == counts.loc["2020-02-01"].sum() == 0


def test_per_month_of_nothing_is_empty_with_its_columns() -> None:
    counts = per_month([None, "x"], ["en", "nl"], columns=["en", "nl", "fr", "other"])
    assert counts.empty and list(counts.columns) == ["en", "nl", "fr", "other"]


def test_months_in_range_are_month_starts() -> None:
    months = months_in_range("2012-01-31", "2013-01-01")
    assert len(months) == 13 and months[0] == pd.Timestamp("2012-01-01") and months[-1] == pd.Timestamp("2013-01-01")


def test_to_dates_reads_text_dates_and_timestamps_alike() -> None:
    got = to_dates(["2014-05-06", dt.date(2014, 5, 6), pd.Timestamp("2014-05-06T23:30:00+08:00"), "", None])
    assert got[:3].tolist() == [pd.Timestamp("2014-05-06")] * 3
    assert got[3:].isna().all()


def test_per_year_covers_every_year_of_the_range_or_span() -> None:
    counts = per_year([2009, 2012, 2012, None], ["KH", "NP", "KH", "NP"])
    assert counts.index.tolist() == [2009, 2010, 2011, 2012]
    assert counts.loc[2010].sum() == 0 and counts.loc[2012, "KH"] == 1 and counts.loc[2012, "NP"] == 1
    wider = per_year(["2010"], span=(2008, 2011))
    assert wider.index.tolist() == [2008, 2009, 2010, 2011] and wider["count"].tolist() == [0, 0, 1, 0]
    assert per_year([]).empty


def test_shorten_never_cuts_without_an_ellipsis() -> None:
    title = "Convention concerning Decent Work for Domestic Workers"
    assert shorten(title, 80) == title
    short = shorten(title, 30)
    assert len(short) <= 30 and short.endswith(ELLIPSIS) and title.startswith(short[:-1])
    assert short == "Convention concerning Decent…"  # cut at a word boundary
    assert shorten("Aaaaaaaaaaaaaaaaaaaaaaaaa", 10) == "Aaaaaaaaa" + ELLIPSIS  # no space: cut inside the word
    assert shorten("  two\n lines  ", 20) == "two lines"
    assert shorten(None) == "" and shorten(float("nan")) == ""
    assert shorten(189, 5) == "189"
    with pytest.raises(ValueError):
        shorten("abc", 1)


@pytest.mark.parametrize("width", range(2, 40))
def test_shorten_fits_its_width(width: int) -> None:
    text = "International Trade Union Confederation, Asia-Pacific regional office"
    short = shorten(text, width)
    assert len(short) <= width and short.endswith(ELLIPSIS) and len(short) >= 2


def test_excerpt_shows_the_figure_in_its_sentence_with_ellipses_where_cut() -> None:
    sentence = ("Learning: Over 6.500 members (55% women) from the partners learned how to better advocate for "
                "social protection at national level and 1.263 (38% women) at the continental level.")
    middle = excerpt(sentence, "1.263", 40)
    assert "1.263" in middle and len(middle) <= 40 and middle.startswith(ELLIPSIS) and middle.endswith(ELLIPSIS)
    assert middle[1:-1].strip() in sentence
    assert f" {middle[1:-1].strip()} " in f" {sentence} "  # cut between words
    start = excerpt(sentence, "Over 6.500 members", 40)
    assert start.startswith("Learning: Over 6.500 members") and start.endswith(ELLIPSIS) and len(start) <= 40
    end = excerpt(sentence, "continental level", 30)
    assert end.startswith(ELLIPSIS) and end.endswith("continental level.") and len(end) <= 30
    assert excerpt("Short one.", "one", 40) == "Short one."
    assert excerpt(sentence, "not there", 20) == shorten(sentence, 20)


def test_list_and_bool_columns_typed_or_as_text() -> None:
    assert as_list("labels; Nepal ;") == ["labels", "Nepal"]
    assert as_list(["a", "b"]) == ["a", "b"] and as_list(np.array(["a"])) == ["a"]
    assert as_list('["a; b", "c"]') == ["a; b", "c"]  # JSON array text as CSV and SQLite store lists
    assert as_list("[not json") == ["[not json"]
    assert as_list(None) == [] and as_list(float("nan")) == [] and as_list("") == []
    assert as_bool(pd.Series([1, 0, None])).tolist() == [True, False, False]
    assert as_bool(pd.Series([True, False])).tolist() == [True, False]
    assert as_bool(pd.Series([True, None], dtype="object")).tolist() == [True, False]


def _figures(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["post_id", "unit", "subject", "value", "text", "sentence"])


def test_top_by_subject_keeps_figures_apart_largest_first() -> None:
    figs = _figures([
        ("p1", "people", "killed", 1134, "1,134", "At least 1,134 people were killed."),
        ("p2", "people", "killed", 112, "112", "112 people died in the fire."),
        ("p3", "people", "injured", 2500, "2,500", "Some 2,500 were injured."),
        ("p4", "workers", "covered by the accord", 2000000, "2 million", "The accord covers 2 million workers."),
        ("p5", "people", None, 40, "40", "40 people came."),
        ("p6", "people", "killed", 1134, "1,134", "At least 1,134 people were killed."),  # the same, reposted
        ("p7", "%", "women", 80, "80%", "80% are women."),
        ("p8", "people", "killed", 7, "seven", "Seven people died."),
    ])
    top = top_by_subject(figs, units=["people", "workers"], per_subject=2)
    people = top[top.unit == "people"]
    assert people[["subject", "value"]].values.tolist() == [
        ["injured", 2500.0], ["killed", 1134.0], ["killed", 112.0], [NO_SUBJECT, 40.0]]
    assert people["sentence"].iloc[1] == "At least 1,134 people were killed." and people["post_id"].iloc[1] == "p1"
    assert top[top.unit == "workers"]["value"].tolist() == [2000000.0]
    assert "%" not in set(top.unit)
    # each value shown is one reported figure: none is a total of several
    assert set(top["value"]) <= set(figs["value"].astype(float))
    assert len(top_by_subject(figs, units=["people"], subjects=1)) == 1
    assert list(dict.fromkeys(top_by_subject(figs, units=["workers", "people"])["unit"])) == ["workers", "people"]
    assert list(dict.fromkeys(top_by_subject(figs)["unit"])) == ["%", "people", "workers"]


def test_top_by_subject_of_no_figures() -> None:
    assert top_by_subject(_figures([])).empty


def test_units_by_kind_and_counted_units_most_reported_first() -> None:
    assert [unit_kind(u) for u in ["%", "EUR", "hours", "people", "garment workers", "", None]] == [
        "percent", "currency", "time", "count", "count", "none", "none"]
    units = ["people", "%", "workers", "people", "%", "USD", "days", "", "people", "workers", "members"]
    figs = _figures([("p", u, None, 1, "1", "s") for u in units])
    assert counted_units(figs) == ["people", "workers", "members"]
    assert counted_units(figs, least=2) == ["people", "workers"]


def test_count_axes_tick_whole_numbers_and_month_bars_show_every_month() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.bar([0, 1, 2], [1, 2, 3])
    integer_axis(ax)
    fig.canvas.draw()
    ticks = [t for t in ax.get_yticks() if 0 <= t <= 3]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
    plt.close(fig)

    counts = per_month(["2010-01-05", "2010-06-01", "2010-06-02"], ["en", "nl", "en"], columns=["en", "nl", "fr"])
    fig, ax = plt.subplots()
    monthly_bars(ax, counts)
    fig.canvas.draw()
    bars = [p for p in ax.patches]
    assert len(bars) == 2 * 6  # en and nl over six months (fr has nothing and draws nothing)
    assert sum(p.get_height() for p in bars) == 3
    assert all(float(t).is_integer() for t in ax.get_yticks())
    plt.close(fig)

    fig, ax = plt.subplots()
    barh(ax, ["same", "same", "x" * 50], [5, 3, 1], width=10, annotate=True)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["same", "same", "x" * 9 + ELLIPSIS]
    assert [p.get_width() for p in ax.patches] == [5, 3, 1]  # two bars that read alike stay two bars
    assert [p.get_y() + p.get_height() / 2 for p in ax.patches] == [2, 1, 0]  # the first at the top
    assert [t.get_text() for t in ax.texts] == [" 5", " 3", " 1"]
    plt.close(fig)

    fig, ax = plt.subplots()
    heatmap(ax, pd.DataFrame([[0, 2], [1, 0]], index=["a" * 60, "b"], columns=[2011, 2012]), width=20)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["a" * 19 + ELLIPSIS, "b"]
    plt.close(fig)
