"""The committed ``schema/claim.schema.json``: current, complete, and in agreement with ``check``.

Editors get autocompletion and inline errors from that file (through the first line of every
claim file, and ``.vscode/settings.json``); the checker validates with the declaration in
:mod:`build_tools.rules.schema`. An independent validator (``jsonschema``) runs the committed
file over every claim, and over broken claims that the checker must reject too.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from build_tools.intake.scaffold import SCHEMA_HEADER
from build_tools.rules import schema as s
from build_tools.rules import specs
from build_tools.stages.s3_validate import validate_claim

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema" / "claim.schema.json"
CLAIM_FILES = sorted((ROOT / "claims").glob("*.yml"))


class Yaml12Loader(yaml.SafeLoader):
    """Reads YAML as the editor's language server does: a date stays text (YAML 1.2 core)."""


Yaml12Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.fixture(scope="module")
def committed() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(committed: dict[str, Any]) -> jsonschema.Draft7Validator:
    # the claim schema refers to its sibling topics.schema.json, as editors resolve it
    from referencing import Registry, Resource

    topics = json.loads((ROOT / "schema" / s.TOPICS_SCHEMA).read_text(encoding="utf-8"))
    registry = Registry().with_resource(s.TOPICS_SCHEMA, Resource.from_contents(topics))
    return jsonschema.Draft7Validator(committed, format_checker=jsonschema.FormatChecker(),
                                      registry=registry)


def test_topics_in_use_are_offered_and_new_ones_allowed(
        validator: jsonschema.Draft7Validator) -> None:
    topics = json.loads((ROOT / "schema" / s.TOPICS_SCHEMA).read_text(encoding="utf-8"))
    offered = topics["anyOf"][0]["enum"]
    assert offered[0] == "walking" and "chronic-pain" in offered
    claim = yaml.load(CLAIM_FILES[0].read_text(encoding="utf-8"), Loader=Yaml12Loader)
    for words, ok in ((["a-new-topic"], True), (["Not Kebab"], False)):
        assert (schema_errors(validator, {**claim, "topics": words}) == []) is ok


def schema_errors(validator: jsonschema.Draft7Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in validator.iter_errors(data)]


def test_committed_schema_is_current() -> None:
    """Regenerate with ``python3 -m build_tools schema`` after changing build_tools/schema.py."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == s.claim_json_schema_text(), (
        "schema/claim.schema.json is out of date: run `python3 -m build_tools schema`")


def test_committed_schema_is_valid_draft_7(committed: dict[str, Any]) -> None:
    jsonschema.Draft7Validator.check_schema(committed)


def _properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (path, subschema) of a named property, through items and oneOf."""
    if not isinstance(node, dict):
        return
    for name, sub in node.get("properties", {}).items():
        yield f"{where}.{name}".lstrip("."), sub
        yield from _properties(sub, f"{where}.{name}")
    if "items" in node:
        yield from _properties(node["items"], f"{where}[]")
    for alt in node.get("oneOf", []):
        yield from _properties(alt, where)


def test_every_field_has_a_description_and_its_allowed_values(committed: dict[str, Any]) -> None:
    """What an editor sees on hover and in completion lists, down to each GRADE domain."""
    missing = [p for p, sub in _properties(committed) if "description" not in sub]
    assert missing == []
    spec_by_path = dict(_spec_paths(s.CLAIM))
    for path, sub in _properties(committed):
        spec = spec_by_path.get(path)
        other = spec_by_path.get(path + " (other)")
        if isinstance(spec, specs.Choice):
            allowed = [list(spec.terms)] + ([list(other.terms)] if isinstance(other, specs.Choice)
                                            else [])
            assert sub.get("enum") in allowed, path
        if isinstance(spec, specs.EitherOf):
            assert any("enum" in alt for alt in sub["oneOf"]), path
        if isinstance(spec, specs.Scores):
            assert all("enum" in d for d in sub["properties"].values()), path


def _spec_paths(record: specs.Record, where: str = "") -> Iterator[tuple[str, specs.Spec]]:
    for f in record.fields:
        path = f"{where}.{f.name}".lstrip(".")
        yield path, f.spec
        spec = f.spec.item if isinstance(f.spec, specs.ListOf) else f.spec
        if isinstance(spec, specs.EitherOf):
            yield from _spec_paths(spec.full, path)
            if spec.other is not None:  # its fields under the same names: one enum each way
                yield from ((p + " (other)", sp) for p, sp in _spec_paths(spec.other, path))
        if isinstance(spec, specs.Record):
            yield from _spec_paths(spec, path)


# ---------------------------------------------------------------------------------------------
# the claim files


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.name)
def test_claim_file_starts_with_the_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    assert first == SCHEMA_HEADER, (f"{path.name}: the first line must be exactly "
                                    f"{SCHEMA_HEADER!r}, for the editor's autocompletion")


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.name)
def test_claim_file_validates_against_the_committed_schema(
        path: Path, validator: jsonschema.Draft7Validator) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
    assert schema_errors(validator, data) == []


def test_schema_header_points_at_the_committed_file() -> None:
    target = SCHEMA_HEADER.split("$schema=", 1)[1]
    assert (ROOT / "claims" / target).resolve() == SCHEMA_FILE


# ---------------------------------------------------------------------------------------------
# the schema and the checker agree, on a valid claim and on broken ones

VALID: dict[str, Any] = {
    "statement": "Walking every day cures low back pain.",
    "bottom_line": "Walking every day probably eases low back pain; it is no cure.",
    "topics": ["walking", "low-back-pain"],
    "population": ["chronic-low-back-pain"],
    "intervention": ["walking"],
    "outcome": ["pain"],
    "appearances": [{"source": "shop2024", "quote": "Walking every day cures back pain",
                     "cites": ["smith2018"], "promotional": False}],
    "evidence": [{"source": "smith2018", "stance": "supports",
                  "finding": "Walking reduced pain at 12 weeks (n = 120)."}],
    "verdict": "overstated",
    "certainty": {"level": "moderate", "start": "high",
                  "downgrades": {"risk_of_bias": 0, "inconsistency": 0, "indirectness": 0,
                                 "imprecision": -1, "publication_bias": 0},
                  "upgrades": {}, "reasons": {"imprecision": "One trial of 120 people."}},
    "rationale": "One trial found less pain; it did not show a cure.",
    "reviewed": "2024-05-01",
}


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = d
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        if value is _DELETE:
            del node[int(last) if last.isdigit() else last]
        else:
            node[int(last) if last.isdigit() else last] = value
    return mutate


_DELETE = object()

BROKEN: dict[str, Callable[[dict[str, Any]], None]] = {
    "verdict not in the vocabulary": _set("verdict", "true"),
    "statement missing": _set("statement", _DELETE),
    "statement too short": _set("statement", "Walk."),
    "unknown field": _set("verdit", "accurate"),
    "topic not kebab-case": _set("topics/0", "Walking"),
    "no topics": _set("topics", []),
    "topic twice": _set("topics/1", "walking"),
    "no appearances": _set("appearances", []),
    "promotional as text": _set("appearances/0/promotional", "no"),
    "cites missing": _set("appearances/0/cites", _DELETE),
    "cites as text": _set("appearances/0/cites", "smith2018"),
    "source key with a space": _set("evidence/0/source", "smith 2018"),
    "stance not in the vocabulary": _set("evidence/0/stance", "agrees"),
    "finding too short": _set("evidence/0/finding", "Less pain"),
    "certainty level not in the vocabulary": _set("certainty/level", "medium"),
    "certainty short form not in the vocabulary": _set("certainty", "medium"),
    "downgrade of -3": _set("certainty/downgrades/imprecision", -3),
    "unknown GRADE domain": _set("certainty/downgrades/bias", -1),
    "certainty start missing": _set("certainty/start", _DELETE),
    "certainty upgrades missing": _set("certainty/upgrades", _DELETE),
    "reason too short": _set("certainty/reasons/imprecision", "Few."),
    "reason too long": _set("certainty/reasons/imprecision", "Few people. " * 20),
    "reason for an unknown domain": _set("certainty/reasons/bias", "Nobody was blinded."),
    "population term not in the vocabulary": _set("population/0", "adults"),
    "outcome as text": _set("outcome", "pain"),
    "comparator term twice": _set("comparator", ["placebo", "placebo"]),
    "reviewed not a date": _set("reviewed", "May 2024"),
    "rationale missing": _set("rationale", _DELETE),
    "evidence item not a mapping": _set("evidence/0", "smith2018"),
}


def _checker_problems(data: dict[str, Any]) -> list[str]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    _, problems = validate_claim("a-claim", "claims/a-claim.yml", node)
    return [p.format() for p in problems]


def test_valid_claim_passes_both(validator: jsonschema.Draft7Validator) -> None:
    assert schema_errors(validator, VALID) == []
    assert _checker_problems(VALID) == []


@pytest.mark.parametrize("name", BROKEN)
def test_broken_claim_fails_both(name: str, validator: jsonschema.Draft7Validator) -> None:
    data = copy.deepcopy(VALID)
    BROKEN[name](data)
    assert schema_errors(validator, data), f"the editor's schema accepts: {name}"
    assert _checker_problems(data), f"check accepts: {name}"
