"""The per-generation table of documents per spelling."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from searchlib.query import parse_query
from searchlib.schema import values_postings
from searchlib.spellings import (
    SPELLINGS_FILE,
    SpellingTable,
    complete_marks,
    load_spellings,
    save_spellings,
    spellings_of,
)


def test_spellings_of_a_document_are_lower_case_with_canonical_tones() -> None:
    title, body = "Tỉnh uỷ HOÀ Bình", "Tỉnh ủy và tỉnh uỷ.\nHoà hòa, Thuy Thủy 2021"
    assert spellings_of(values_postings([title, body])) == {"tỉnh", "ủy", "hòa", "bình", "và", "thuy", "thủy", "2021"}


def test_table_looks_up_what_was_saved(tmp_path: Path) -> None:
    counts = Counter({"hải": 3, "hai": 10, "hài": 1, "h": 2, "hả": 4, "zzz": 0})
    save_spellings(counts, tmp_path / SPELLINGS_FILE)
    table = SpellingTable(tmp_path / SPELLINGS_FILE)
    assert table["hải"] == 3 and table.get("hai") == 10 and table.get("h") == 2 and table.get("hả") == 4
    assert table.get("ha", 0) == 0 and "zzz" not in table and "hàii" not in table
    assert dict(table) == {k: v for k, v in counts.items() if v}
    assert load_spellings(tmp_path / SPELLINGS_FILE) == +counts


def test_missing_table_is_empty(tmp_path: Path) -> None:
    table = SpellingTable(tmp_path / SPELLINGS_FILE)
    assert len(table) == 0 and not table and table.get("hải") is None


def test_generations_written_with_the_json_table_still_read(tmp_path: Path) -> None:
    (tmp_path / "spellings.json").write_text(json.dumps({"thủy": 12}, ensure_ascii=False), encoding="utf-8")
    assert SpellingTable(tmp_path / SPELLINGS_FILE)["thủy"] == 12
    assert load_spellings(tmp_path / SPELLINGS_FILE) == Counter({"thủy": 12})


def test_every_saved_spelling_and_no_other_is_found(tmp_path: Path) -> None:
    rng = random.Random(3)
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ"
    counts = Counter({"".join(rng.choices(letters, k=rng.randint(1, 6))): rng.randint(1, 99) for _ in range(2000)})
    save_spellings(counts, tmp_path / SPELLINGS_FILE)
    table = SpellingTable(tmp_path / SPELLINGS_FILE)
    assert len(table) == len(counts)
    assert all(table[s] == n for s, n in counts.items())
    assert table.to_dict() == dict(counts) == load_spellings(tmp_path / SPELLINGS_FILE)
    # Prefixes and extensions of saved spellings sit right beside them in the file.
    near = {s[:-1] for s in counts} | {s + "a" for s in counts} | {"", "\x00", "zzzz"}
    assert all(table.get(s) is None for s in near - set(counts))


def test_entries_by_first_letter_and_length(tmp_path: Path) -> None:
    counts = Counter({"đường": 5, "dương": 4, "duong": 3, "dân": 2, "đ2": 7, "ađ": 1, "dương2": 9, "x": 1})
    save_spellings(counts, tmp_path / SPELLINGS_FILE)
    table = SpellingTable(tmp_path / SPELLINGS_FILE)
    assert sorted(table.starting_with("dđ", 4, 6)) == [("duong", 3), ("dương", 4), ("đường", 5)]
    assert table.starting_with("dđ", 1, 3) == [("dân", 2)]  # letters only: not đ2
    assert table.starting_with("x", 1, 1) == [("x", 1)]  # the first entry of the file too
    assert table.starting_with("dđ", 7, 6) == [] and table.starting_with("", 1, 9) == []


def test_entries_by_first_letter_in_a_json_table(tmp_path: Path) -> None:
    (tmp_path / "spellings.json").write_text(json.dumps({"dương": 4, "dân": 2, "d2": 1}), encoding="utf-8")
    assert SpellingTable(tmp_path / SPELLINGS_FILE).starting_with("dđ", 1, 9) == [("dương", 4), ("dân", 2)]


def test_a_syllable_typed_without_the_tone_it_must_have_is_completed() -> None:
    table = {"việt": 300, "viết": 200, "viêt": 2, "quốc": 500, "nam": 400, "học": 90, "nôi": 5, "nội": 900}
    reads: list[int] = []

    def spellings() -> dict[str, int]:
        reads.append(1)
        return table

    parsed, completed = complete_marks(parse_query("Viêt Nam, Trung QUÔC"), spellings)
    assert completed == {"Viêt": "Việt", "QUÔC": "QUỐC"}
    assert [c.syllables.exact for g in parsed.groups for c in g] == [("việt",), ("nam",), ("trung",), ("quốc",)]
    assert parsed.groups[0][0].text == "Viêt"  # as typed, for "did you mean" to compare
    # Inside a phrase too; not a field clause.
    assert complete_marks(parse_query('"viêt nam"'), spellings)[1] == {"viêt": "việt"}
    assert complete_marks(parse_query("title:viêt"), spellings)[1] == {}
    # A level tone is a word where the final is not a stop (nôi, a cradle), and
    # a word without marks is typed without them on purpose or in haste: left alone.
    reads.clear()
    assert complete_marks(parse_query("cái nôi hoc viet"), spellings)[1] == {} and not reads
    # Nothing to complete it with: left as typed.
    assert complete_marks(parse_query("đăc"), spellings)[1] == {}


def test_a_mark_left_out_of_a_pair_pyvi_knows_is_read_from_how_articles_spell_it() -> None:
    words = {"ha_noi": 900, "cai_noi": 30, "bo_truong": 500, "con_nguoi": 5000}
    samples = {
        ("ha", "noi"): {("hà", "nội"): 48, ("hà", "nôi"): 0, ("ha", "noi"): 2},
        ("cai", "noi"): {("cái", "nôi"): 20, ("cái", "nói"): 25},
        ("bo", "truong"): {("bộ", "trưởng"): 45, ("bộ", "trường"): 5},
        ("con", "nguoi"): {("con", "người"): 50},
    }
    asked: list[tuple[str, ...]] = []

    def sample(folded: tuple[str, ...]) -> dict[tuple[str, ...], int]:
        asked.append(folded)
        return samples.get(folded, {})

    phrases = {("con", "ngươi"): 40, ("hà", "nôi"): 7}

    def complete(text: str) -> dict[str, str]:
        return complete_marks(
            parse_query(text),
            dict,
            word_articles=lambda w: words.get(w, 0),
            run_spellings=sample,
            phrase_articles=lambda folded, spelled: phrases.get(spelled, 0),
        )[1]

    assert complete("Hà Nôi") == {"Nôi": "Nội"}
    assert complete("Bộ trương") == {"trương": "trưởng"}
    assert complete("cái nôi") == {}  # articles spell it so: a cradle
    assert complete("con ngươi") == {}  # the pupil of the eye: 40 articles, though none in the sample
    # Only a syllable typed with marks but no tone gains any: "ha" typed bare stays, so nothing fits.
    assert complete("Ha Nôi") == {}
    assert complete("thành phố Hà Nội") == {}  # nothing left out
    asked.clear()
    assert complete("Hà Nam") == {} and not asked  # no mark to add to: nothing sampled
    assert complete("hà nôi có mưa không?") == {}  # a question: its words run on
