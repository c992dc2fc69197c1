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

CORPUS = Path(os.environ.get("CORPUS_DIR", "../corpus")).resolve()
TABLES = CORPUS / "tables"
%matplotlib inline
plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})


def table(name):
    """One exported table (Parquet)."""
    return pd.read_parquet(TABLES / f"{name}.parquet")


def nothing(ax, message):
    """Say on the plot that there is nothing to show, rather than failing."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


posts = table("posts")
print(f"{len(posts)} posts from {CORPUS}")'''

NOTEBOOKS = {
    "01_overview.ipynb": [
        ("md", "# Overview of the corpus\n\nHow many posts the blog published each year and in which language, "
               "which labels it uses most, and how long the posts are. Reads only the exported tables in "
               "`corpus/tables/` (set `CORPUS_DIR` to use another export)."),
        ("code", SETUP),
        ("md", "## Posts per year and language"),
        ("code", '''\
fig, ax = plt.subplots()
if posts.empty:
    nothing(ax, "no posts")
else:
    per_year = posts.groupby(["year", "language"]).size().unstack(fill_value=0)
    per_year.plot(kind="bar", stacked=True, ax=ax)
    ax.set_title("Posts per year and language")
    ax.set_xlabel("year")
    ax.set_ylabel("posts")
    ax.legend(title="language")
plt.show()'''),
        ("md", "## Labels used most"),
        ("code", '''\
labels = posts["labels"].explode().dropna()  # labels are a list per post
labels = labels[labels.str.len() > 0].value_counts().head(20)
fig, ax = plt.subplots()
if labels.empty:
    nothing(ax, "no labels")
else:
    labels.sort_values().plot(kind="barh", ax=ax)
    ax.set_title("Most used labels")
    ax.set_xlabel("posts")
    ax.set_ylabel("label")
plt.show()'''),
        ("md", "## Length of the posts"),
        ("code", '''\
words = posts["text"].fillna("").str.split().str.len()
fig, ax = plt.subplots()
if words.empty:
    nothing(ax, "no posts")
else:
    ax.hist(words, bins=min(30, max(5, len(words))))
    ax.set_title("Length of the posts")
    ax.set_xlabel("words per post")
    ax.set_ylabel("posts")
plt.show()
words.describe()'''),
    ],
    "02_figures.ipynb": [
        ("md", "# Figures\n\nThe quantities the posts report: people reached over the years, the shares of women "
               "and youth among them, and money by currency. Every number links back to its sentence "
               "(`sentence`, `start`, `end`) in `tables/figures`."),
        ("code", SETUP),
        ("code", '''\
figs = table("figures").merge(posts[["post_id", "year", "language"]], on="post_id")
PEOPLE = {"people", "workers", "members", "persons", "participants", "women", "mensen", "leden", "werknemers"}
figs["head"] = figs["unit"].fillna("").str.lower().str.split().str[-1]
figs.head()'''),
        ("md", "## People reached per year\n\nTotals only (figures that are not the part of a breakdown), "
               "counting people, workers, members and participants."),
        ("code", '''\
reach = figs[figs["head"].isin(PEOPLE) & figs["parent_id"].isna()]
fig, ax = plt.subplots()
if reach.empty:
    nothing(ax, "no counts of people")
else:
    reach.groupby("year")["value"].sum().plot(kind="bar", ax=ax, logy=True)
    ax.set_title("People reached, as reported, per year")
    ax.set_xlabel("year")
    ax.set_ylabel("people (log scale)")
plt.show()'''),
        ("md", "## Shares of women and youth\n\nParts of a breakdown with their share of the total "
               "(percentages, or counts divided by their total)."),
        ("code", '''\
shares = figs[figs["group_label"].isin(["women", "youth", "under 35"]) & figs["share"].notna()]
fig, ax = plt.subplots()
if shares.empty:
    nothing(ax, "no breakdowns by gender or age")
else:
    (shares.groupby(["year", "group_label"])["share"].mean().unstack() * 100).plot(kind="bar", ax=ax)
    ax.set_title("Average share of women and youth in reported totals")
    ax.set_xlabel("year")
    ax.set_ylabel("share of the total (%)")
    ax.legend(title="group")
plt.show()'''),
        ("md", "## Money by currency"),
        ("code", '''\
CURRENCIES = {"EUR", "USD", "BDT", "NPR", "INR", "PHP", "IDR", "KHR", "GBP", "CHF", "MYR", "THB", "VND", "MMK", "CNY"}
money = figs[figs["unit"].isin(CURRENCIES)]
fig, ax = plt.subplots()
if money.empty:
    nothing(ax, "no amounts of money")
else:
    money.groupby("unit")["value"].sum().sort_values().plot(kind="barh", ax=ax, logx=True)
    ax.set_title("Amounts of money mentioned, by currency")
    ax.set_xlabel("sum of amounts (log scale, in each currency)")
    ax.set_ylabel("currency")
plt.show()
money[["post_id", "text", "value", "unit"]].head(20)'''),
    ],
    "03_organisations.ipynb": [
        ("md", "# Organisations\n\nWho the blog writes about: the organisations mentioned most, their types and "
               "countries, which appear together in the same posts, and which are new each year. An organisation "
               "counts once per post (entities, not mentions)."),
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
top = orgs.groupby("entity_id").agg(label=("label", "first"), posts=("post_id", "nunique")).sort_values("posts")
fig, ax = plt.subplots(figsize=(9, 6))
if top.empty:
    nothing(ax, "no organisations")
else:
    top.tail(20).plot(kind="barh", x="label", y="posts", ax=ax, legend=False)
    ax.set_title("Organisations mentioned in most posts")
    ax.set_xlabel("posts")
    ax.set_ylabel("organisation")
plt.show()'''),
        ("md", "## By type and country"),
        ("code", '''\
fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.5))
by_type = orgs["type"].fillna("unknown (not in knowledge base)").value_counts()
by_country = orgs["country"].fillna("unknown").value_counts().head(15)
if by_type.empty:
    nothing(a1, "no organisations")
    nothing(a2, "no organisations")
else:
    by_type.sort_values().plot(kind="barh", ax=a1)
    a1.set_title("Organisations by type")
    a1.set_xlabel("post-organisation pairs")
    by_country.sort_values().plot(kind="barh", ax=a2)
    a2.set_title("Organisations by country")
    a2.set_xlabel("post-organisation pairs")
plt.tight_layout()
plt.show()'''),
        ("md", "## Co-mention network\n\nOrganisations are linked when they appear in the same post; the width "
               "of a link is the number of posts they share."),
        ("code", '''\
import itertools
import networkx as nx

G = nx.Graph()
for _, group in orgs.groupby("post_id"):
    names = sorted(set(group["label"]))
    G.add_nodes_from(names)
    for a, b in itertools.combinations(names, 2):
        G.add_edge(a, b, weight=G.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
fig, ax = plt.subplots(figsize=(10, 8))
if G.number_of_nodes() == 0:
    nothing(ax, "no organisations")
else:
    pos = nx.spring_layout(G, seed=0, k=0.6)
    widths = [G[u][v]["weight"] for u, v in G.edges()]
    nx.draw_networkx(G, pos, ax=ax, node_size=300, font_size=8, width=widths, edge_color="#999999")
    ax.set_title("Organisations mentioned in the same posts")
    ax.set_axis_off()
plt.show()'''),
        ("md", "## Newcomers per year\n\nOrganisations mentioned for the first time in the corpus, per year."),
        ("code", '''\
first = orgs.groupby("entity_id")["year"].min().value_counts().sort_index()
fig, ax = plt.subplots()
if first.empty:
    nothing(ax, "no organisations")
else:
    first.plot(kind="bar", ax=ax)
    ax.set_title("Organisations appearing for the first time")
    ax.set_xlabel("year")
    ax.set_ylabel("new organisations")
plt.show()'''),
    ],
    "04_conventions.ipynb": [
        ("md", "# ILO conventions and recommendations\n\nWhich ILO instruments the posts refer to, over time; "
               "fundamental against technical instruments; and which organisations are named alongside them."),
        ("code", SETUP),
        ("code", '''\
inst = table("instruments").rename(columns={"year": "adopted"}).merge(posts[["post_id", "year"]], on="post_id")
inst["label"] = inst["instrument_id"] + " " + inst["title"].str.slice(0, 40)
inst.head()'''),
        ("md", "## Posts citing each instrument, per year"),
        ("code", '''\
fig, ax = plt.subplots(figsize=(9, 5))
if inst.empty:
    nothing(ax, "no ILO instruments mentioned")
else:
    pivot = inst.pivot_table(index="label", columns="year", values="post_id", aggfunc="nunique", fill_value=0)
    im = ax.imshow(pivot.values, aspect="auto", cmap="Blues")
    ax.set_yticks(range(len(pivot.index)), pivot.index)
    ax.set_xticks(range(len(pivot.columns)), pivot.columns)
    fig.colorbar(im, ax=ax, label="posts")
    ax.set_title("Posts citing each ILO instrument, per year")
    ax.set_xlabel("year")
    ax.set_ylabel("instrument")
    ax.grid(False)
plt.show()'''),
        ("md", "## Fundamental against technical instruments"),
        ("code", '''\
fig, ax = plt.subplots()
if inst.empty:
    nothing(ax, "no ILO instruments mentioned")
else:
    kinds = inst.assign(kind=inst["fundamental"].map({True: "fundamental", False: "technical / other"}))
    kinds.groupby(["year", "kind"]).size().unstack(fill_value=0).plot(kind="bar", stacked=True, ax=ax)
    ax.set_title("Citations of fundamental and other ILO instruments")
    ax.set_xlabel("year")
    ax.set_ylabel("post-instrument pairs")
plt.show()'''),
        ("md", "## Organisations named alongside each instrument"),
        ("code", '''\
orgs = table("organisations")
orgs["organisation"] = orgs["acronym"].fillna(orgs["name"])
pairs = inst[["post_id", "instrument_id"]].merge(orgs[["post_id", "organisation"]], on="post_id")
fig, ax = plt.subplots(figsize=(9, 5))
if pairs.empty:
    nothing(ax, "no organisation named in a post citing an instrument")
else:
    co = pairs.groupby(["instrument_id", "organisation"]).size().unstack(fill_value=0)
    co = co[co.sum().sort_values(ascending=False).index[:15]]
    im = ax.imshow(co.values, aspect="auto", cmap="Greens")
    ax.set_yticks(range(len(co.index)), co.index)
    ax.set_xticks(range(len(co.columns)), co.columns, rotation=60, ha="right")
    fig.colorbar(im, ax=ax, label="posts")
    ax.set_title("Organisations named in posts citing each instrument")
    ax.set_xlabel("organisation")
    ax.set_ylabel("instrument")
    ax.grid(False)
plt.show()'''),
    ],
    "05_topics.ipynb": [
        ("md", "# Topics\n\nTopics per language with TF-IDF and NMF (scikit-learn), English and Dutch stop words "
               "removed. The number of topics adapts to the size of the corpus; the fitted models and their "
               "parameters are saved in `models/topics-<language>.joblib` and `.json`."),
        ("code", SETUP),
        ("code", '''\
import sys

sys.path.insert(0, str(Path("..").resolve()))
from pipeline.topics import fit_topics, save_topics

results = {}
for lang in ("en", "nl"):
    subset = posts[posts["language"] == lang]
    result = fit_topics(list(subset["title"].fillna("") + "\\n" + subset["text"].fillna("")), lang)
    if result is None:
        print(f"{lang}: too few posts for topics ({len(subset)})")
        continue
    results[lang] = (result, subset)
    print(lang, result["params"], "saved to", save_topics(result))'''),
        ("md", "## Top terms per topic"),
        ("code", '''\
for lang, (result, _) in results.items():
    n = result["params"].n_topics
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3.5), squeeze=False)
    for k, ax in enumerate(axes[0]):
        weights = result["model"].components_[k]
        terms = result["top_terms"][k][:8]
        index = [list(result["vectorizer"].get_feature_names_out()).index(t) for t in terms]
        ax.barh(terms[::-1], [weights[i] for i in index][::-1])
        ax.set_title(f"{lang} topic {k + 1}")
        ax.set_xlabel("weight")
    plt.tight_layout()
    plt.show()
if not results:
    fig, ax = plt.subplots()
    nothing(ax, "too few posts for topics")
    plt.show()'''),
        ("md", "## Topic share over the years"),
        ("code", '''\
for lang, (result, subset) in results.items():
    shares = pd.DataFrame(result["weights"], index=subset.index)
    shares = shares.div(shares.sum(axis=1).replace(0, 1), axis=0)
    shares["year"] = subset["year"].values
    by_year = shares.groupby("year").mean()
    by_year.columns = [f"topic {c + 1}: " + ", ".join(result["top_terms"][c][:3]) for c in by_year.columns]
    fig, ax = plt.subplots()
    by_year.plot(kind="bar", stacked=True, ax=ax)
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
