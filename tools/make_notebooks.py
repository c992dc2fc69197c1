"""Write the analysts' notebooks (notebooks/*.ipynb) without outputs, from the cell sources below.

    python tools/make_notebooks.py

Keeping the sources here makes the notebooks reviewable as code and reproducible; `make notebooks`
executes them on the current corpus and writes HTML copies to corpus/reports/.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parent.parent / "notebooks"

SETUP = '''\
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from pipeline.reports import (
    LANGUAGE_GROUPS, as_bool, as_list, barh, heatmap, integer_axis, language_group, monthly_bars, nothing,
    per_month, per_year, shorten, to_dates, year_span,
)

CORPUS = Path(os.environ.get("CORPUS_DIR", "../corpus")).resolve()
TABLES = CORPUS / "tables"
%matplotlib inline
plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})
pd.set_option("display.max_colwidth", None)
pd.set_option("display.float_format", lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}")


def one_line(frame, column="sentence"):
    """`frame` with `column` on one line (sentences may hold line breaks), for display."""
    return frame.assign(**{column: frame[column].fillna("").str.split().str.join(" ")})


def table(name):
    """One exported table (Parquet)."""
    return pd.read_parquet(TABLES / f"{name}.parquet")


posts = table("posts")
posts["day"] = to_dates(posts["date"])
posts["year"] = posts["day"].dt.year.astype("Int64")
YEARS = year_span(posts["year"])  # every chart by year covers every year of this span
print(f"{len(posts)} posts from {CORPUS}" + (f", {YEARS[0]} to {YEARS[1]}" if YEARS else ""))'''

NOTEBOOKS = {
    "01_overview.ipynb": [
        ("md", "# Overview of the corpus\n\nHow many posts the blog published each month and in which language, "
               "which labels it uses most, how long the posts are, and which countries they speak of. Reads only "
               "the exported tables in `corpus/tables/` (set `CORPUS_DIR` to use another export)."),
        ("code", SETUP),
        ("md", "## Posts per month and language\n\nOne bar per calendar month on a date axis; months without posts "
               "stay empty, so pauses in the blog show. Languages other than English, Dutch and French (and "
               "posts whose language is unknown) count as *other*."),
        ("code", '''\
monthly = per_month(posts["date"], posts["language"].map(language_group), columns=LANGUAGE_GROUPS)
undated = int(posts["day"].isna().sum())
fig, ax = plt.subplots(figsize=(11, 4.5))
if monthly.empty:
    nothing(ax, "no dated posts")
else:
    empty = int((monthly.sum(axis=1) == 0).sum())
    print(f"{len(monthly)} months from {monthly.index[0]:%Y-%m} to {monthly.index[-1]:%Y-%m}, "
          f"{empty} of them without posts; {undated} posts without a date")
    monthly_bars(ax, monthly)
    ax.set_title("Posts per month and language")
    ax.legend(title="language")
plt.show()
per_year(posts["year"], posts["language"].map(language_group), columns=LANGUAGE_GROUPS).T'''),
        ("md", "## Labels used most"),
        ("code", '''\
labels = posts["labels"].map(as_list).explode().dropna().value_counts().head(20)
fig, ax = plt.subplots(figsize=(9, 0.3 * max(len(labels), 4) + 1.5))
if labels.empty:
    nothing(ax, "no labels")
else:
    barh(ax, labels.index, labels.values)
    ax.set_title("The 20 labels used most")
    ax.set_xlabel("posts")
    ax.set_ylabel("label")
plt.tight_layout()
plt.show()'''),
        ("md", "## Length of the posts"),
        ("code", '''\
words = posts["text"].fillna("").str.split().str.len()
fig, ax = plt.subplots()
if words.empty:
    nothing(ax, "no posts")
else:
    ax.hist(words, bins=min(30, max(5, len(words))))
    integer_axis(ax)
    ax.set_title("Length of the posts")
    ax.set_xlabel("words per post")
    ax.set_ylabel("posts")
plt.show()
words.describe()'''),
        ("md", "## Countries by year\n\nPosts naming each country, per year (`tables/post_countries`: a post counts "
               "once per country; a country named inside an organisation's name counts too). The 15 countries "
               "named in most posts, over every year of the corpus."),
        ("code", '''\
countries = table("post_countries").merge(posts[["post_id", "year"]], on="post_id")
countries["label"] = countries["name"].fillna(countries["country"]) + " (" + countries["country"] + ")"
top_countries = countries.groupby("label")["post_id"].nunique().sort_values(ascending=False, kind="stable").head(15)
fig, ax = plt.subplots(figsize=(11, 0.35 * max(len(top_countries), 4) + 2))
if top_countries.empty or YEARS is None:
    nothing(ax, "no countries named")
else:
    chosen = countries[countries["label"].isin(top_countries.index)]
    by_year = per_year(chosen["year"], chosen["label"], columns=list(top_countries.index), span=YEARS).T
    heatmap(ax, by_year, cmap="Oranges", label="posts")
    ax.set_title("Posts naming each country, per year")
    ax.set_xlabel("year")
    ax.set_ylabel("country")
plt.tight_layout()
plt.show()
top_countries.rename("posts").to_frame()'''),
    ],
    "02_figures.ipynb": [
        ("md", "# Figures\n\nThe quantities the posts report: the largest counts for each subject, the shares of "
               "women and youth in breakdowns, and amounts of money. Every number links back to its sentence "
               "(`sentence`, `start`, `end`) in `tables/figures`.\n\n"
               "Figures are **never added together** here: two counts of people from different posts or subjects "
               "count different things (the dead, the injured, the members of a union, the workers an accord "
               "covers), and the same event is often reported in several posts."),
        ("code", SETUP),
        ("code", '''\
from pipeline.reports import counted_units, excerpt, top_by_subject, unit_kind

figs = table("figures").merge(posts[["post_id", "date", "year", "language"]], on="post_id")
figs["kind"] = figs["unit"].map(unit_kind)  # percent, currency, time, count or none (pipeline/data/units.csv)
MONEY_UNITS = sorted(set(figs.loc[figs["kind"] == "currency", "unit"]))
COUNT_UNITS = counted_units(figs)
print(f"{len(figs)} figures in {figs['post_id'].nunique()} posts; units of counts: {COUNT_UNITS[:10]}; "
      f"currencies: {MONEY_UNITS}")'''),
        ("md", "## Largest reported counts, by subject\n\nFor the units reported most, the subjects with the largest "
               "figures (the `subject` a figure counts, such as *killed* or *members*), and for each subject its "
               "largest figures, each one as reported in one sentence. The same figure in the same sentence (a "
               "post repeated on the blog) is shown once."),
        ("code", '''\
top = top_by_subject(figs, units=COUNT_UNITS[:4], per_subject=5, subjects=6)
shown = [u for u in COUNT_UNITS[:4] if (top["unit"] == u).any()]
if not shown:
    fig, ax = plt.subplots()
    nothing(ax, "no counts reported")
    plt.show()
for unit in shown:
    rows = top[top["unit"] == unit]
    subjects = list(dict.fromkeys(rows["subject"]))
    wide = rows["value"].max() > 100 * max(1, rows["value"].min())
    fig, ax = plt.subplots(figsize=(11, 0.35 * len(rows) + 1.5))
    barh(ax, [f"{shorten(s, 25)}: {excerpt(sentence, text, 60)}" for s, sentence, text in
              zip(rows["subject"], rows["sentence"], rows["text"])], rows["value"], width=90,
         colors=[f"C{subjects.index(s) % 10}" for s in rows["subject"]], annotate=True, counts=not wide)
    if wide:
        ax.set_xscale("log")
    ax.set_title(f"Largest figures in {unit}, by subject: each bar is one figure as reported")
    ax.set_xlabel(unit + (" (log scale)" if wide else ""))
    plt.tight_layout()
    plt.show()'''),
        ("md", "The same figures with their sentences:"),
        ("code", '''\
one_line(top[["unit", "subject", "value", "text", "date", "sentence"]])'''),
        ("md", "## Shares of women and youth\n\nParts of a breakdown with their share of the total (a percentage, or "
               "a count divided by its total), one point per breakdown, on the date of its post."),
        ("code", '''\
shares = figs[figs["group_label"].isin(["women", "youth", "under 35"]) & figs["share"].notna()].copy()
shares["day"] = to_dates(shares["date"])
fig, ax = plt.subplots()
if shares.empty:
    nothing(ax, "no breakdowns by gender or age")
else:
    for group, points in shares.groupby("group_label"):
        ax.scatter(points["day"], points["share"] * 100, label=f"{group} ({len(points)})", alpha=0.7, s=18)
    ax.set_ylim(0, 100)
    ax.set_title("Share of women and youth in each reported breakdown")
    ax.set_xlabel("date of the post")
    ax.set_ylabel("share of the total (%)")
    ax.legend(title="group (breakdowns)")
plt.show()'''),
        ("md", "## Money by currency\n\nHow many amounts the posts report in each currency, and the largest ones "
               "with their sentences. Amounts are not added up, nor converted between currencies."),
        ("code", '''\
money = figs[figs["unit"].isin(MONEY_UNITS)]
n = money["unit"].value_counts().sort_values(ascending=False, kind="stable")
fig, ax = plt.subplots(figsize=(9, 0.3 * max(len(n), 4) + 1.5))
if money.empty:
    nothing(ax, "no amounts of money")
else:
    barh(ax, n.index, n.values)
    ax.set_title("Amounts of money reported, by currency")
    ax.set_xlabel("amounts reported")
    ax.set_ylabel("currency")
plt.show()
largest = money.sort_values("value", ascending=False, kind="stable").drop_duplicates(["unit", "value", "sentence"])
one_line(largest.groupby("unit", sort=True).head(3)[["unit", "value", "text", "date", "sentence"]])'''),
    ],
    "03_organisations.ipynb": [
        ("md", "# Organisations\n\nWho the blog writes about: the organisations mentioned most, their types, the "
               "countries they are named with, which appear together in the same posts, and which are new each "
               "year. An organisation counts once per post (entities, not mentions)."),
        ("code", SETUP),
        ("code", '''\
orgs = table("organisations").merge(posts[["post_id", "year"]], on="post_id")
short = orgs["acronym"].notna() & (orgs["acronym"].str.len() <= 12)
orgs["label"] = orgs["acronym"].where(short, orgs["name"])
# One label per organisation, whatever each post calls it (WSM, WS, Wereldsolidariteit are one entity).
orgs["label"] = orgs.groupby("entity_id")["label"].transform("first")
orgs.head()'''),
        ("md", "## Most mentioned"),
        ("code", '''\
top = orgs.groupby("entity_id").agg(label=("label", "first"), posts=("post_id", "nunique"))
top = top.sort_values("posts", kind="stable")
fig, ax = plt.subplots(figsize=(9, 6))
if top.empty:
    nothing(ax, "no organisations")
else:
    rows = top.tail(20).iloc[::-1]
    barh(ax, rows["label"], rows["posts"], width=40)
    ax.set_title("Organisations mentioned in most posts")
    ax.set_xlabel("posts")
    ax.set_ylabel("organisation")
plt.tight_layout()
plt.show()'''),
        ("md", "## By type"),
        ("code", '''\
by_type = orgs["type"].fillna("unknown (not in knowledge base)").value_counts()
fig, ax = plt.subplots(figsize=(9, 0.3 * max(len(by_type), 4) + 1.5))
if by_type.empty:
    nothing(ax, "no organisations")
else:
    barh(ax, by_type.index, by_type.values, width=40)
    ax.set_title("Organisations by type")
    ax.set_xlabel("post-organisation pairs")
plt.tight_layout()
plt.show()'''),
        ("md", "## Organisations by country\n\nThe country named in the sentence of a mention (when the sentence names "
               "exactly one: `country` in `tables/organisation_mentions`). Left: how many different organisations "
               "are named with each country; right: the organisations named with the countries named most, in "
               "how many posts."),
        ("code", '''\
mentions = table("organisation_mentions")
located = mentions[mentions["country"].notna()].merge(orgs[["organisation_key", "label"]], on="organisation_key")
print(f"{len(located)} of {len(mentions)} mentions have the one country of their sentence")
fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 6), gridspec_kw={"width_ratios": [1, 2]})
if located.empty:
    nothing(a1, "no organisation named with a country")
    nothing(a2, "no organisation named with a country")
else:
    per_country = located.groupby("country")["entity_id"].nunique().sort_values(ascending=False, kind="stable")
    per_country = per_country.head(20)
    barh(a1, per_country.index, per_country.values)
    a1.set_title("Organisations named with each country")
    a1.set_xlabel("different organisations")
    a1.set_ylabel("country (ISO 3166-1)")
    countries = list(per_country.index[:12])
    pairs = located[located["country"].isin(countries)].drop_duplicates(["post_id", "entity_id", "country"])
    grid = pairs.pivot_table(index="label", columns="country", values="post_id", aggfunc="count", fill_value=0)
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False, kind="stable").index[:20], countries]
    heatmap(a2, grid, cmap="Purples", label="posts", width=30, rotate=0)
    a2.set_title("Organisations named with a country, in posts")
    a2.set_xlabel("country")
plt.tight_layout()
plt.show()'''),
        ("md", "## Co-mention network\n\nThe 30 organisations mentioned in most posts, linked when they appear in the "
               "same post; the width of a link is the number of posts they share."),
        ("code", '''\
import itertools

import networkx as nx

keep = set(top.tail(30).index)
G = nx.Graph()
for _, group in orgs[orgs["entity_id"].isin(keep)].groupby("post_id"):
    names = sorted(set(group["label"].map(lambda label: shorten(label, 25))))
    G.add_nodes_from(names)
    for a, b in itertools.combinations(names, 2):
        G.add_edge(a, b, weight=G.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
fig, ax = plt.subplots(figsize=(10, 8))
if G.number_of_nodes() == 0:
    nothing(ax, "no organisations")
else:
    pos = nx.spring_layout(G, seed=0, k=0.8)
    heaviest = max([G[u][v]["weight"] for u, v in G.edges()] or [1])
    widths = [0.5 + 5 * G[u][v]["weight"] / heaviest for u, v in G.edges()]
    nx.draw_networkx(G, pos, ax=ax, node_size=300, font_size=8, width=widths, edge_color="#999999")
    ax.set_title(f"Organisations mentioned in the same posts (thickest link: {heaviest} posts)")
    ax.set_axis_off()
plt.show()'''),
        ("md", "## Newcomers per year\n\nOrganisations mentioned for the first time in the corpus, per year."),
        ("code", '''\
first = orgs.groupby("entity_id")["year"].min()
fig, ax = plt.subplots()
if first.empty or YEARS is None:
    nothing(ax, "no organisations")
else:
    per_year(first, span=YEARS)["count"].plot(kind="bar", ax=ax)
    integer_axis(ax)
    ax.set_title("Organisations appearing for the first time")
    ax.set_xlabel("year")
    ax.set_ylabel("new organisations")
plt.show()'''),
    ],
    "04_conventions.ipynb": [
        ("md", "# ILO conventions and recommendations\n\nWhich ILO instruments the posts refer to, over time; "
               "fundamental against other instruments; and which organisations are named alongside them."),
        ("code", SETUP),
        ("code", '''\
inst = table("instruments").rename(columns={"year": "adopted"}).merge(posts[["post_id", "year"]], on="post_id")
inst["label"] = inst["instrument_id"] + " " + inst["title"].map(lambda title: shorten(title, 40))
inst.head()'''),
        ("md", "## Posts citing each instrument, per year\n\nThe 20 instruments cited in most posts, over every "
               "year of the corpus (years when none is cited included)."),
        ("code", '''\
cited = inst.groupby("label")["post_id"].nunique().sort_values(ascending=False, kind="stable").head(20)
fig, ax = plt.subplots(figsize=(11, 0.3 * max(len(cited), 4) + 2))
if inst.empty or YEARS is None:
    nothing(ax, "no ILO instruments mentioned")
else:
    chosen = inst[inst["label"].isin(cited.index)].drop_duplicates(["post_id", "label"])
    grid = per_year(chosen["year"], chosen["label"], columns=list(cited.index), span=YEARS).T
    heatmap(ax, grid, cmap="Blues", label="posts", width=50)
    ax.set_title("Posts citing each ILO instrument, per year")
    ax.set_xlabel("year")
    ax.set_ylabel("instrument")
plt.tight_layout()
plt.show()'''),
        ("md", "## Fundamental against other instruments"),
        ("code", '''\
fig, ax = plt.subplots()
if inst.empty or YEARS is None:
    nothing(ax, "no ILO instruments mentioned")
else:
    kind = as_bool(inst["fundamental"]).map({True: "fundamental", False: "technical / other"})
    counts = per_year(inst["year"], kind, columns=["fundamental", "technical / other"], span=YEARS)
    counts.plot(kind="bar", stacked=True, ax=ax)
    integer_axis(ax)
    ax.legend(title="instrument")
    ax.set_title("Citations of fundamental and other ILO instruments")
    ax.set_xlabel("year")
    ax.set_ylabel("post-instrument pairs")
plt.show()'''),
        ("md", "## Organisations named alongside each instrument"),
        ("code", '''\
orgs = table("organisations")
orgs["organisation"] = orgs["acronym"].fillna(orgs["name"])
pairs = inst[["post_id", "instrument_id"]].merge(orgs[["post_id", "organisation"]], on="post_id")
fig, ax = plt.subplots(figsize=(11, 6))
if pairs.empty:
    nothing(ax, "no organisation named in a post citing an instrument")
else:
    co = pairs.groupby(["instrument_id", "organisation"])["post_id"].nunique().unstack(fill_value=0)
    co = co.loc[co.sum(axis=1).sort_values(ascending=False, kind="stable").index[:20]]
    co = co[co.sum().sort_values(ascending=False, kind="stable").index[:15]]
    heatmap(ax, co, cmap="Greens", label="posts", width=25, rotate=60)
    ax.set_title("Organisations named in posts citing each instrument")
    ax.set_xlabel("organisation")
    ax.set_ylabel("instrument")
plt.tight_layout()
plt.show()'''),
    ],
    "05_topics.ipynb": [
        ("md", "# Topics\n\nTopics per language with TF-IDF and NMF (scikit-learn), with each language's stop words "
               "removed. The number of topics adapts to the size of the corpus; the fitted models and their "
               "parameters are saved next to the reports, in `<reports>/models/topics-<language>.joblib` and "
               "`.json` (`REPORTS_DIR`, default `<corpus>/reports`)."),
        ("code", SETUP),
        ("code", '''\
from pipeline.topics import fit_topics, save_topics

REPORTS = Path(os.environ.get("REPORTS_DIR", CORPUS / "reports")).resolve()
results = {}
for lang in LANGUAGE_GROUPS[:-1]:
    subset = posts[posts["language"] == lang]
    result = fit_topics(list(subset["title"].fillna("") + "\\n" + subset["text"].fillna("")), lang)
    if result is None:
        print(f"{lang}: too few posts for topics ({len(subset)})")
        continue
    results[lang] = (result, subset)
    print(lang, result["params"], "saved to", save_topics(result, REPORTS / "models"))'''),
        ("md", "## Top terms per topic"),
        ("code", '''\
for lang, (result, _) in results.items():
    n = result["params"].n_topics
    cols = min(n, 4)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 3.2 * rows), squeeze=False)
    names = list(result["vectorizer"].get_feature_names_out())
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.set_axis_off()
            continue
        weights = result["model"].components_[k]
        terms = result["top_terms"][k][:8]
        ax.barh([shorten(t, 18) for t in terms[::-1]], [weights[names.index(t)] for t in terms][::-1])
        ax.set_title(f"{lang} topic {k + 1}")
        ax.set_xlabel("weight")
    plt.tight_layout()
    plt.show()
if not results:
    fig, ax = plt.subplots()
    nothing(ax, "too few posts for topics")
    plt.show()'''),
        ("md", "## Topic share over the years\n\nThe mean share of each topic in the posts of a year, over every "
               "year of the corpus (a year without posts in the language stays empty)."),
        ("code", '''\
for lang, (result, subset) in results.items():
    shares = pd.DataFrame(result["weights"], index=subset.index)
    shares = shares.div(shares.sum(axis=1).replace(0, 1), axis=0)
    shares["year"] = subset["year"].values
    by_year = shares.groupby("year").mean()
    if YEARS:
        by_year = by_year.reindex(range(YEARS[0], YEARS[1] + 1))
    by_year.columns = [shorten(f"topic {c + 1}: " + ", ".join(result["top_terms"][c][:3]), 40)
                       for c in by_year.columns]
    fig, ax = plt.subplots()
    by_year.plot(kind="bar", stacked=True, ax=ax)
    ax.set_ylim(0, 1)
    ax.set_title(f"Topic share per year ({lang})")
    ax.set_xlabel("year")
    ax.set_ylabel("mean share of a post")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    plt.show()'''),
    ],
}


def build(out: Path = OUT) -> None:
    """Write every notebook, without outputs."""
    out.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{name.split('_')[0]}-{i:02d}"  # stable ids: regenerating gives the same bytes
        nbformat.write(nb, out / name)


if __name__ == "__main__":
    build()
