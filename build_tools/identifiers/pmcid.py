"""PubMed Central ids (``PMC1234567``), resolved with NCBI E-utilities.

``esummary.fcgi?db=pmc`` takes the number without its ``PMC`` prefix and answers with document
summaries of the same shape as PubMed's (:mod:`build_tools.identifiers.pmid`); the article's
PMID and DOI are among its ``articleids``.
"""

from __future__ import annotations

import re

from build_tools.core.problems import IntakeError
from build_tools.identifiers.base import BatchIdentifier
from build_tools.identifiers.pmid import esummary
from build_tools.identifiers.record import Record


class PMCID(BatchIdentifier):
    field = "pmcid"
    label = "PMCID"
    database = "PubMed Central"
    pattern = re.compile(r"^PMC\d+$")
    form = "PMC followed by digits"
    example = "PMC3531190"
    known_as = "a PubMed Central id"
    record_of = "the id of a PubMed Central article"
    batch = 200

    def parse(self, text: str) -> str:
        value = text.strip().removeprefix("PMCID:").strip().upper()
        if value.isdigit():
            value = "PMC" + value
        if not self.valid(value):
            raise IntakeError(f"'{text}' is not a PMCID (expected {self.form}, e.g. "
                              f"{self.example})")
        return value

    def url(self, value: str | None) -> str | None:
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{value}/" if self.valid(value) else None

    def answered(self, values: list[str]) -> dict[str, Record]:
        numbers = sorted({v.removeprefix("PMC") for v in values}, key=int)
        out: dict[str, Record] = {}
        for i in range(0, len(numbers), self.batch):
            for uid, record in esummary("pmc", numbers[i:i + self.batch]).items():
                record.database = self.database
                record.pmcid = f"PMC{uid}"
                out[record.pmcid] = record
        return out
