"""One handler per identifier type (:mod:`build_tools.identifiers`): each parses what an editor
types, refuses what is not one in one line, links a reader to it, and fetches its record; and
``add source`` reaches every handler through the same option table."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import BIB, CAPTURE, CLAIM, FIXTURES, write_kb

from build_tools.cli import main
from build_tools.core.problems import IntakeError
from build_tools.identifiers import HANDLERS

PARSED = [
    ("doi", "https://doi.org/10.1007/s00586-010-1412-z", "10.1007/s00586-010-1412-z"),
    ("doi", "doi: 10.1007/s00586-010-1412-z", "10.1007/s00586-010-1412-z"),
    ("pmid", "PMID: 20414688", "20414688"),
    ("pmid", " 20414688 ", "20414688"),
    ("pmcid", "PMC2989236", "PMC2989236"),
    ("pmcid", "pmc2989236", "PMC2989236"),
    ("pmcid", "2989236", "PMC2989236"),
]


@pytest.mark.parametrize(("field", "written", "normal"), PARSED)
def test_each_handler_gives_the_normal_form(field: str, written: str, normal: str) -> None:
    h = HANDLERS[field]
    assert h.parse(written) == normal
    assert h.valid(normal)


@pytest.mark.parametrize("field", list(HANDLERS))
def test_each_handler_refuses_what_is_not_one_in_one_line(field: str) -> None:
    with pytest.raises(IntakeError) as caught:
        HANDLERS[field].parse("not an identifier\x1b[2J")
    message = str(caught.value)
    assert "\n" not in message and HANDLERS[field].label in message


@pytest.mark.parametrize(("field", "value", "url"), [
    ("doi", "10.1007/s00586-010-1412-z", "https://doi.org/10.1007/s00586-010-1412-z"),
    ("pmid", "20414688", "https://pubmed.ncbi.nlm.nih.gov/20414688/"),
    ("pmcid", "PMC2989236", "https://pmc.ncbi.nlm.nih.gov/articles/PMC2989236/"),
    ("doi", "javascript:alert(1)", None),
    ("pmid", "12a", None),
    ("pmcid", "PMC", None),
])
def test_each_handler_links_only_a_well_formed_value(field: str, value: str,
                                                     url: str | None) -> None:
    assert HANDLERS[field].url(value) == url


def test_the_checker_holds_each_field_to_its_handlers_form(tmp_path: Path) -> None:
    bib = BIB.replace("  year    = {2018},", "  year    = {2018},\n  pmcid   = {2989236},")
    root = write_kb(tmp_path / "kb", claims={"walking-cures": CLAIM}, bibs={"refs.bib": bib},
                    captures={"shop2024": CAPTURE})
    out = io.StringIO()
    from build_tools.commands import check
    assert check.run(root, out=out) == 1
    assert "pmcid '2989236' is not valid (expected PMC followed by digits)" in out.getvalue()


def test_add_source_by_pmcid_reads_pubmed_central(tmp_path: Path, intake_env: Any,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    root = write_kb(tmp_path / "kb", claims={"walking-cures": CLAIM}, bibs={"refs.bib": BIB},
                    captures={"shop2024": CAPTURE})
    answer = json.loads((FIXTURES / "esummary-pmc-2989236.json").read_text(encoding="utf-8"))
    intake_env.expect_request("/eutils/esummary.fcgi",
                              query_string={"db": "pmc", "id": "2989236", "retmode": "json",
                                            "tool": "walking-lbp-evidence",
                                            "email": "editors@example.org"}
                              ).respond_with_json(answer)
    monkeypatch.chdir(root)
    assert main(["add", "source", "--pmcid", "PMC2989236"]) == 0, capsys.readouterr()
    text = (root / "sources" / "evidence.bib").read_text(encoding="utf-8")
    fields = dict(re.findall(r"^  (\w+)\s*= \{(.*)\},?$", text, re.M))
    assert (fields["pmcid"], fields["pmid"], fields["doi"]) == \
        ("PMC2989236", "20414688", "10.1007/s00586-010-1412-z")
    assert "Metadata from the PubMed Central record" in text
    # the same work again, by any of its identifiers, is refused with the key that holds it
    assert main(["add", "source", "--pmcid", "2989236"]) == 1
    assert "PMCID PMC2989236 is already in sources/ as 'hendrick2010effectiveness'" in \
        capsys.readouterr().err
