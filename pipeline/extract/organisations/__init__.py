"""Organisations: recognise them in English and Dutch text and resolve each to one entity per post.

Recognition (``recognition.recognise``), most trusted first (each later rule only looks at text the earlier
ones left free):
1. the knowledge base (pipeline/data/organisations.toml) through spaCy PhraseMatchers, acronyms
   case-sensitively, long names in any case, ambiguous forms ("IDEA", "WS", "UNI") only in context;
   a known organisation used as the modifier of an event or instrument ("ILO Convention", "UN Global
   Accelerator", "ASEAN People's Forum") is not a mention of the organisation (``kbmatch``);
2. acronym definitions both ways, "Cambodian Labour Confederation (CLC)" and "CLC (Cambodian Labour
   Confederation)"; the acronym is then recognised in the rest of the post, and an acronym defined as
   something else ("Least Developed Country (LDC)") is never taken for an organisation (``definitions``);
3. capitalised phrases headed by an organisation noun ("Ministry of Labour and Vocational Training",
   "Sindh Home Based Workers Union", "Konfederasi Serikat Buruh ..."), unless the phrase is an event,
   law, programme or a generic descriptor ("the Belgian Trade Union", "Continental Network") (``phrases``,
   with the heads of ``heads``);
4. a classifier noun followed by a name: "Reclamebureau Boondoggle", "the brand Joe Fresh" (``classified``);
5. upper-case acronyms used as actors ("GEFONT held ...", "(FEI)") that are not common words, units,
   currencies, country codes or the field's non-organisation jargon (SDG, OSH, MSME, ...) (``actors``).
Resolution (``finalize``, in ``resolve``) merges all mentions of one organisation in a post: acronym and long
form, aliases across languages, and links the entity to the knowledge base; ``classify`` guesses type and
country of the others. ``report`` lists the organisations of a corpus that the knowledge base lacks.

Every word list the rules read is a data file, ``pipeline/data/<lang>/org_*.txt``, loaded by ``vocabulary``
(documented in ``pipeline/data/README.md``). Modules of the package import each other directly, never this
package; importing it registers the spaCy factory "organisations".
"""

from __future__ import annotations

from pipeline.extract.organisations.acronyms import abbreviates
from pipeline.extract.organisations.component import OrganisationsComponent, make_organisations
from pipeline.extract.organisations.kbmatch import KBMatcher
from pipeline.extract.organisations.recognition import recognise
from pipeline.extract.organisations.report import UnknownOrganisation, unknown_organisations
from pipeline.extract.organisations.resolve import finalize

__all__ = ["KBMatcher", "OrganisationsComponent", "UnknownOrganisation", "abbreviates", "finalize",
           "make_organisations", "recognise", "unknown_organisations"]
