"""Scoring follows GUIDELINES.md: optional items neutral, one-to-one matching, 0.5 % tolerance, ranges, names."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli import main
from pipeline.evaluate import Score, score, units_agree

GOLD = {
    "id": "p1", "language": "en", "mixed": False, "conventions": ["C189", "C97"],
    "organisations": [{"name": "International Labour Office", "acronym": "BIT"},
                      {"name": "The Guardian", "acronym": None}],
    "organisations_optional": [{"name": "ILO", "acronym": "ILO"}],
    "figures": [{"text": "900.000 people", "value": 900000, "unit": "people"},
                {"text": "62 women", "value": 62, "unit": "women"},
                {"text": "62 men", "value": 62, "unit": "men"},
                {"text": "15 to 20.000", "value": 15000, "unit": "INR"},
                {"text": "", "value": 20000, "unit": "INR"}],
    "figures_optional": [{"text": "half women", "value": 50, "unit": "%"}],
}


def pred(**kw) -> dict:
    base = {"id": "p1", "language": "en", "mixed": False, "conventions": [], "instruments": [],
            "organisations": [], "figures": []}
    return {**base, **kw}


def test_conventions_compare_sets_of_ids() -> None:
    r = score({"p1": pred(instruments=[{"id": "C189"}, {"id": "C87"}])}, [GOLD])
    assert (r.conventions.tp, r.conventions.fp, r.conventions.fn) == (1, 1, 1)
    assert r.conventions.misses == ["p1: C97"] and r.conventions.false_hits == ["p1: C87"]


def test_organisations_match_after_normalisation_and_optional_is_neutral() -> None:
    orgs = [{"name": "International Labour Office", "acronym": "BIT", "canonical": None},
            {"name": "Guardian", "acronym": None, "canonical": "the guardian"},
            {"name": "ILO", "acronym": "ILO"},  # matches only an optional one: neither way
            {"name": "Oxfam", "acronym": None}]
    r = score({"p1": pred(organisations=orgs)}, [GOLD])
    assert (r.organisations.tp, r.organisations.fp, r.organisations.fn) == (2, 1, 0)


def test_each_gold_organisation_matches_once() -> None:
    orgs = [{"name": "BIT"}, {"name": "International Labour Office"}]
    r = score({"p1": pred(organisations=orgs)}, [GOLD])
    assert (r.organisations.tp, r.organisations.fp, r.organisations.fn) == (1, 1, 1)


def test_gold_aliases_match_a_prediction_by_name_acronym_or_canonical_name() -> None:
    gold = {"id": "p2", "language": "nl", "mixed": False, "conventions": [], "figures": [],
            "organisations": [{"name": "Wereldsolidariteit", "acronym": "WSM",
                               "aliases": ["Solidarité Mondiale", "World Solidarity"]},
                              {"name": "ACV", "acronym": None, "aliases": ["CSC", "ACV-CSC"]},
                              {"name": "Vakbond Z", "acronym": None, "aliases": None}],
            "organisations_optional": [{"name": "de regering", "acronym": None, "aliases": ["Gouvernement belge"]}]}
    orgs = [{"name": "Solidarité mondiale", "acronym": None, "canonical": None},  # an alias, another case
            {"name": "Confédération des syndicats chrétiens", "acronym": "acv csc", "canonical": None},  # alias
            {"name": "Le gouvernement belge", "acronym": None},  # an optional one's alias: neither way
            {"name": "Unknown Union", "acronym": None, "canonical": "World Solidarity"}]  # WSM is taken already
    r = score({"p2": {"id": "p2", "organisations": orgs}}, [gold])
    assert (r.organisations.tp, r.organisations.fp, r.organisations.fn) == (2, 1, 1)
    assert r.organisations.misses == ["p2: Vakbond Z"]
    # the prediction's own aliases do not count (the guidelines compare its name, acronym and canonical name)
    r = score({"p2": {"id": "p2", "organisations": [{"name": "X", "aliases": ["WSM"]}]}}, [gold])
    assert (r.organisations.tp, r.organisations.fp) == (0, 1)


def test_figures_tolerance_one_to_one_ranges_and_optional() -> None:
    figs = [{"value": 902000, "unit": "people"},  # within 0.5 %
            {"value": 62, "unit": "women"}, {"value": 62, "unit": "men"}, {"value": 62, "unit": "x"},  # third: FP
            {"value": 15000, "low": 15000, "high": 20000, "unit": "INR"},  # a range scores its two ends
            {"value": 50, "unit": "%"},  # optional: neutral
            {"value": 906000, "unit": "people"}]  # 0.67 % off: a false hit
    r = score({"p1": pred(figures=figs)}, [GOLD])
    assert (r.figures.tp, r.figures.fp, r.figures.fn) == (5, 2, 0)
    assert r.unit_agreement == 1.0


def test_unit_agreement_and_language() -> None:
    r = score({"p1": pred(language="nl", figures=[{"value": 62, "unit": "people"}])}, [GOLD])
    assert r.unit_agreement == 0.0 and r.language_correct == 0
    assert units_agree("position papers", "papers") and units_agree("young", "youth") and units_agree("€", "EUR")
    assert not units_agree("workers", "women")


def test_score_rates() -> None:
    s = Score(tp=3, fp=1, fn=2)
    assert (round(s.precision, 2), round(s.recall, 2), round(s.f1, 3)) == (0.75, 0.6, 0.667)
    assert Score().f1 == 1.0


def test_cli_scores_existing_records(tmp_path: Path, capsys) -> None:
    gold, recs = tmp_path / "gold.jsonl", tmp_path / "records.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n")
    recs.write_text(json.dumps(pred(instruments=[{"id": "C189"}, {"id": "C97"}])) + "\n")
    assert main(["evaluate", "--records", str(recs), "--gold", str(gold), "--json", str(tmp_path / "s.json")]) == 0
    out = capsys.readouterr().out
    assert "conventions     1.000  1.000  1.000" in out
    assert json.loads((tmp_path / "s.json").read_text())["conventions"]["f1"] == 1.0


def test_cli_names_a_broken_gold_line(tmp_path: Path, caplog) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n{broken\n")
    assert main(["evaluate", "--records", str(gold), "--gold", str(gold)]) == 2
    assert "gold.jsonl:2: broken JSON line" in caplog.text
