"""Figures: every quantity with its value, unit, subject, qualifier, range and breakdown (English, Dutch).

Rules run over the doc text: first the spans that are never figures (URLs, e-mails, hashtags, dates,
times, year ranges, ILO citations, references such as "paragraph 41"), then numbers in digits and in
words with their magnitude, then what they count (the noun after them, a currency, a time unit or a
percent sign), their qualifier ("over", "bijna"), and how they relate: ranges, and breakdowns of a
total into parts ("174 people (62 women, and 20 young)", "of which 56% women").

One module a job:

- ``values``: what a number in digits or in words is worth ("900.000", "1,5 miljoen", "twenty-five");
- ``never``: what is never a figure (dates, years, times, references, ages, identifiers);
- ``units``: what a number counts (percent, currency, time unit, the counted noun);
- ``qualifiers``: "over", "bijna", "only" before a number;
- ``digits`` and ``words``: figures written in digits (with ranges) and in words (shares, "thousands of");
- ``find``: all candidates of a text; ``breakdowns``: elided units and parts linked to their totals;
- ``component``: the spaCy factory ``figures`` and ``finalize``.

The vocabularies the rules read are data files under ``pipeline/data`` (see its README).
Importing this package registers the ``figures`` factory.
"""

from pipeline.extract.figures.component import FiguresComponent, figures_of, finalize, make_figures

__all__ = ["FiguresComponent", "figures_of", "finalize", "make_figures"]
