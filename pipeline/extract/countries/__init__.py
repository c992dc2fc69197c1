"""Countries: the countries a post speaks of, from their names and demonyms in English, Dutch and French.

``forms`` reads pipeline/data/countries.csv (every ISO 3166-1 country: names, demonyms and their inflections,
tagged where a form is also a language, a person's name, or a form of several countries) and the context lists
of pipeline/data/<lang>/country_*.txt; ``find`` holds the rules (``find_countries``, a pure function of a text
and the organisations' spans); ``component`` the spaCy factory "countries", ``finalize`` (one entry per country,
shared forms resolved) and ``link_fields`` (the country of each figure's and organisation mention's sentence).
Importing the package registers the factory.
"""

from __future__ import annotations

from pipeline.extract.countries.component import CountriesComponent, finalize, link_fields, make_countries, resolve
from pipeline.extract.countries.find import Found, find_countries
from pipeline.extract.countries.forms import Form, Forms, forms

__all__ = ["CountriesComponent", "Form", "Forms", "Found", "finalize", "find_countries", "forms", "link_fields",
           "make_countries", "resolve"]
