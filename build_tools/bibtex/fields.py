"""What a BibTeX entry may hold, and how each field is read: the tables the methodology page
shows, and the patterns each field's value must match."""

from __future__ import annotations

import re
from collections.abc import Callable

from build_tools.core import vocabulary as v

FIELDS: dict[str, str] = {
    "author": "The authors: 'Last, First and Last, First' or 'First Last and ...'; an "
              "organisation in braces, '{World Health Organization}'; 'and others' for more.",
    "editor": "The editors, written as authors are.",
    "title": "The title as published.",
    "subtitle": "The subtitle (biblatex), shown after the title.",
    "journal": "The journal, as printed (biblatex's 'journaltitle' is read as this).",
    "booktitle": "The book or proceedings a chapter or paper appeared in.",
    "year": "The year of publication, four digits.",
    "month": "The month of publication.",
    "volume": "Volume.",
    "number": "Issue, or a report's number.",
    "pages": "Pages or article number.",
    "chapter": "The chapter number.",
    "edition": "Edition: a number ('2'), an ordinal word ('Second') or words.",
    "series": "The series a book or report appeared in.",
    "doi": "The DOI, 10.NNNN/..., without a 'doi:' or URL prefix.",
    "url": "A web address (http or https only).",
    "urldate": "When the web address was last seen.",
    "publisher": "The publisher.",
    "address": "Where the publisher is.",
    "location": "Where the work was published or the event held (biblatex).",
    "organization": "The organisation behind the source.",
    "institution": "The institution behind a report.",
    "school": "The university a thesis was written at.",
    "type": "The kind of report or thesis, when not the usual ('Research note').",
    "howpublished": "How an unusual source was published.",
    "date": "The date, YYYY-MM-DD, YYYY-MM or YYYY; or a range, YYYY-MM-DD/YYYY-MM-DD "
            "(biblatex), the year shown being the first.",
    "isbn": "ISBN.",
    "issn": "ISSN.",
    "crossref": "The key of the entry this one is part of (a book or proceedings in sources/); "
                "the fields this entry lacks are taken from it, as BibTeX does.",
    "key": "The key BibTeX sorts an entry without author by.",
    "note": "Anything a reader or reviewer should know, e.g. what could not be confirmed.",
    "design": "The kind of source: " + ", ".join(v.DESIGNS) + ".",
    "interest": "What the publisher sells that a claim could promote; makes the source "
                "commercial.",
    "pmid": "PubMed identifier (digits).",
    "pmcid": "PubMed Central identifier (PMC followed by digits).",
    "retracted": "The retraction notice, its DOI or 'PMID n', and its date: {10.1016/..., "
                 "2010-02-06}. Written by `verify`; a claim cannot rest on a retracted study.",
    "concern": "Expressions of concern about the study, in the same form as retracted. Written "
               "by `verify`.",
    "corrected": "Corrections of the study, in the same form as retracted, separated by '; '. "
                 "Written by `verify`.",
    "verified": "The day `verify` found the entry matching its Crossref or PubMed record "
                "(YYYY-MM-DD). Written by `verify`.",
}
"""The BibTeX fields a source may have; anything else is reported with a did-you-mean, unless
:data:`IGNORED` names it. Every one is kept in ``data/references.bib`` as written."""

SHOWN: dict[str, str] = {
    "author": "the reference", "title": "the reference", "subtitle": "the reference",
    "journal": "the reference", "booktitle": "the reference", "year": "the reference",
    "volume": "the reference", "number": "the reference", "pages": "the reference",
    "edition": "the reference", "publisher": "the reference", "organization": "the reference",
    "institution": "the reference", "school": "the reference", "date": "the reference",
    "type": "the reference (theses)", "doi": "the reference, as a link",
    "url": "the reference, as a link", "pmid": "the reference", "note": "the source page",
    "design": "the source page and the evidence tables", "interest": "every page naming it",
    "crossref": "through the fields it supplies",
    "retracted": "a notice on the source page and on every claim page citing it",
    "concern": "a notice on the source page",
    "corrected": "the source page",
    "verified": "the source page",
}
"""Where each field of :data:`FIELDS` is shown on the site; the others are kept in
``data/references.bib`` only (AMA style, which the site follows, leaves out the place of
publication, the series, the month and the editors of a journal article)."""

ALIASES: dict[str, str] = {"journaltitle": "journal"}
"""biblatex's names for BibTeX fields: read as the BibTeX field (both at once is an error).
biblatex also reads ``location`` as ``address``, but a BibTeX library uses ``location`` for where
an event was held beside the publisher's ``address`` (JabRef, ACM): it is a field of its own."""

IGNORED: dict[str, str] = {
    "abstract": "the publisher's text, under copyright; the site states findings in its own "
                "words",
    "annote": "private annotations (BibTeX's field for an annotated bibliography); 'note' is "
              "the field for readers",
    "annotation": "private annotations (biblatex's name for annote)",
    "comment": "private notes",
    "file": "a path on the editor's computer, never published",
    "keywords": "a reference manager's tags",
    "groups": "a reference manager's groups (JabRef)",
    "owner": "who added the entry (JabRef)",
    "timestamp": "when the entry was added (JabRef)",
    "creationdate": "when the entry was added (JabRef)",
    "modificationdate": "when the entry was changed (JabRef)",
    "ranking": "a rating in JabRef",
    "readstatus": "reading status in JabRef",
    "priority": "priority in JabRef",
    "qualityassured": "a JabRef flag",
    "rating": "a rating in BibDesk",
    "date-added": "when the entry was added (BibDesk)",
    "date-modified": "when the entry was changed (BibDesk)",
    "language": "the language of the work, not shown",
    "langid": "a hint for biblatex's hyphenation",
    "shorttitle": "a short title for citations in the text",
    "copyright": "the work's licence statement",
    "eprint": "a preprint server's identifier; the site links DOIs and web addresses",
    "eprinttype": "the preprint server of eprint",
    "eprintclass": "the preprint server's subject class",
    "archiveprefix": "the preprint server of eprint (arXiv style)",
    "primaryclass": "the preprint server's subject class (arXiv style)",
    "arxivid": "an arXiv identifier (Mendeley); the site links DOIs and web addresses",
}
"""Fields reference managers write for themselves: read without a word and left out of the site
and of ``data/references.bib``."""

IGNORED_PREFIXES: dict[str, str] = {
    "bdsk-": "BibDesk's own fields (links and files on the editor's computer)",
    "mendeley-": "Mendeley's own fields (groups and tags)",
}
"""Families of :data:`IGNORED` fields, by the start of their names."""
_IGNORED_PREFIXES = tuple(IGNORED_PREFIXES)

TYPES: dict[str, str] = {
    "article": "An article in a journal.",
    "book": "A book.",
    "booklet": "A printed work without a publisher.",
    "inbook": "A part of a book: a chapter or a range of pages.",
    "incollection": "A chapter with its own title in a book of contributions.",
    "inproceedings": "A paper in conference proceedings.",
    "conference": "The same as inproceedings (its older name).",
    "manual": "Technical documentation.",
    "mastersthesis": "A master's thesis.",
    "phdthesis": "A doctoral thesis.",
    "proceedings": "The proceedings of a conference.",
    "techreport": "A report published by an institution.",
    "unpublished": "A work not formally published.",
    "misc": "Anything else: a guideline, a leaflet, a web page.",
    "online": "A web page (biblatex; 'electronic' and 'www' are older names for it).",
    "electronic": "The same as online.",
    "www": "The same as online.",
    "report": "A report (biblatex's name for techreport).",
    "thesis": "A thesis (biblatex; its 'type' says which kind).",
    "collection": "A book of contributions (biblatex).",
    "reference": "An encyclopaedia or dictionary (biblatex).",
    "inreference": "An article in an encyclopaedia or dictionary (biblatex).",
    "mvbook": "A book in several volumes (biblatex).",
    "bookinbook": "A book printed inside another (biblatex).",
    "periodical": "An issue of a journal as a whole (biblatex).",
    "dataset": "A data set (biblatex).",
    "software": "Software (biblatex).",
    "patent": "A patent (biblatex).",
    "standard": "A standard (biblatex).",
}
"""The entry types a source may have: BibTeX's fourteen, and biblatex's that a reference manager
writes. They decide nothing else: a reference is formatted from the fields it has, and no type
requires fields beyond what every source needs (a title and a design)."""

REFUSED_TYPES: dict[str, str] = {
    "set": "an @set entry groups other entries for biblatex; it is not a source (expected "
           "each source as an entry of its own)",
    "xdata": "an @xdata entry holds fields for biblatex to share; it is not a source "
             "(expected the fields written in each entry, or a crossref)",
}

MONTHS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
    "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
    "nov": "November", "dec": "December",
}
"""The macros every BibTeX style defines."""

NOT_INHERITED = frozenset({"design", "interest", "note", "crossref", "key", "doi", "url",
                           "urldate", "pmid", "pmcid", "title", "subtitle"})
"""Fields a crossref never supplies: they describe the entry itself. The parent's title becomes
the entry's booktitle, as biblatex does."""

TOOL_FIELDS = ("retracted", "concern", "corrected", "verified")
"""The fields ``verify`` writes (an editor may write them too, from a notice they have seen)."""

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_DAY = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
DATE = re.compile(rf"^{_DAY}(?:/(?:{_DAY}|\.\.)?)?$")
YEAR = re.compile(r"^\d{4}$")
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RUN_ON = re.compile(r"[}\"]\s*\n\s*([A-Za-z][\w-]*)\s*=")
"""A value that runs into the next line's ``name =``: the comma after it is missing."""

VALUE_SHAPE = '{text}, "text", a number or an @string name, several joined by #'

ErrorFn = Callable[[int, str], None]
