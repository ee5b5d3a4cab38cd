"""Known words near an unknown one."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from searchlib.fuzzy import (
    MAX_GUESSED,
    Guess,
    Neighbours,
    cut,
    edit_distances,
    joined_pieces,
    max_edits,
    similar_words,
)
from searchlib.spellings import SPELLINGS_FILE, SpellingTable, save_spellings


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment, cell by cell: what edit_distances computes row by row."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@pytest.mark.parametrize(
    ("word", "candidate", "distance"),
    [
        ("kenyas", "kenya", 1),  # a letter too many
        ("maastrich", "maastricht", 1),  # one missing
        ("carslbad", "carlsbad", 1),  # two neighbours swapped
        ("cloroplastidan", "chloroplastidan", 1),
        ("ghandi", "gandhi", 2),  # a letter moved two places: not a swap
        ("abc", "", 3),
        ("ca", "abc", 3),  # optimal string alignment edits no substring twice
    ],
)
def test_edit_distance_examples(word: str, candidate: str, distance: int) -> None:
    assert edit_distances(word, [candidate]).tolist() == [distance] == [reference_distance(word, candidate)]


def test_edit_distances_agree_with_the_cell_by_cell_table() -> None:
    rng = random.Random(7)
    for _ in range(200):
        word = "".join(rng.choices("abcđ", k=rng.randint(1, 9)))
        candidates = ["".join(rng.choices("abcđ", k=rng.randint(0, 10))) for _ in range(25)]
        assert edit_distances(word, candidates).tolist() == [reference_distance(word, c) for c in candidates]
    assert edit_distances("abc", []).tolist() == []


@pytest.mark.parametrize(("word", "edits"), [("uyy", 0), ("hai2", 0), ("kenya", 1), ("ghandi", 2), ("a1b2c3", 0)])
def test_how_far_a_word_may_be_matched(word: str, edits: int) -> None:
    assert max_edits(word) == edits


@pytest.fixture
def table(tmp_path: Path) -> SpellingTable:
    counts = Counter(
        {
            "kenya": 40,
            "kenyan": 2,
            "gandhi": 3,
            "ghana": 9,
            "đường": 500,
            "dương": 300,
            "duong": 5,
            "dường": 1,
            "bình": 800,
            "bính": 3,
            "binh": 60,
            "bình2": 90,
            "binhh": 1,
            "indonesia": 2000,
            "idonesia": 1,
            "hùng": 100,
            "hưng": 20,
        }
    )
    save_spellings(counts, tmp_path / SPELLINGS_FILE)
    return SpellingTable(tmp_path / SPELLINGS_FILE)


def test_the_closest_known_words_are_found(table: SpellingTable) -> None:
    assert similar_words("ghandi", table) == ["ghana", "gandhi"]  # two edits each, the more common first


def test_spellings_of_one_folded_word_count_together(table: SpellingTable) -> None:
    # đường, dương, duong and dường are all "duong": one candidate, 806 documents.
    assert similar_words("duongg", table) == ["duong"]


def test_the_first_letter_is_kept_diacritics_aside(table: SpellingTable) -> None:
    assert similar_words("duonh", table) == ["duong"]  # đ is a d
    assert similar_words("xenya", table) == []  # not kenya: the first letter differs


def test_rare_neighbours_of_a_common_word_are_left_out(table: SpellingTable) -> None:
    assert similar_words("kenyas", table) == ["kenya"]  # kenyan is as near, and a twentieth as common
    # binhh is a spelling of its own, bình2 has a digit: neither is a word to search for.
    assert similar_words("binhs", table) == ["binh"]


def test_the_closest_word_wins_over_a_more_common_one_further_away(table: SpellingTable) -> None:
    # idonesia is one edit away, indonesia two: closest first, whatever the counts
    # (scripts/eval_typos.py measures why).
    assert similar_words("idoneysia", table) == ["idonesia"]


def test_a_word_typed_with_diacritics_keeps_them(table: SpellingTable) -> None:
    assert similar_words("hưngg", table) == ["hưng"]  # not the more common hùng, a mark away
    assert similar_words("hungg", table) == ["hung"]  # typed without: every spelling


def test_nothing_near_or_nothing_to_match(table: SpellingTable) -> None:
    assert similar_words("zzzzzz", table) == []
    assert similar_words("kenyanese", table) == []  # three edits
    assert similar_words("uyy", table) == []  # too short to guess
    assert similar_words("kenya", table) == ["kenyan"]  # itself is never a neighbour


def test_an_index_without_a_spelling_table_finds_nothing(tmp_path: Path) -> None:
    assert similar_words("kenyas", SpellingTable(tmp_path / SPELLINGS_FILE)) == []


class Terms:
    """Stands in for a generation's postings: the term table, and which articles hold a term."""

    def __init__(self, **documents: int) -> None:
        self.documents = documents
        self.size = 1000  # articles: a guess needs one
        #: The articles holding a term, where a test says; else the first ones.
        self.held: dict[str, range] = {}

    def has_term(self, fieldname: str, term: str) -> bool:
        return term in self.documents

    def doc_frequency(self, fieldname: str, term: str) -> int:
        return self.documents.get(term, 0)

    def get(self, fieldname: str, term: str) -> SimpleNamespace:
        return SimpleNamespace(ids=np.array(self.held.get(term, range(self.documents.get(term, 0)))))


def test_a_query_guesses_at_its_first_few_unknown_words_only(table: SpellingTable) -> None:
    reads: list[str] = []

    def spellings() -> SpellingTable:
        reads.append("read")
        return table

    neighbours = Neighbours(Terms(kenya=5, ghana=3, gandhi=2, duong=9, binh=9), spellings)  # type: ignore[arg-type]
    assert neighbours.guess(["kenya", "uyy"]) == {} and not reads  # known, too short: nothing read
    words = ["kenyas", "ghandi", "kenyas", "duongg", "binhs", "bimh", "kenyaa"]
    assert MAX_GUESSED == 4
    guesses = neighbours.guess(words)
    assert {w: (g.words, g.keystrokes) for w, g in guesses.items()} == {
        "kenyas": (["kenya"], False),  # once, though typed twice
        "ghandi": (["ghana", "gandhi"], False),
        "duongg": (["duong"], False),
        "binhs": (["bính"], True),  # Telex for a word three articles spell: read, not guessed
        "bimh": (["binh"], False),
    }
    # Four guesses and one look-up of what binhs types; the fifth unknown
    # word was never looked at. Guesses are remembered for the next query.
    assert len(reads) == 5
    assert neighbours.guess(["ghandi"])["ghandi"].words == ["ghana", "gandhi"] and len(reads) == 5


def test_keystrokes_are_read_before_any_guess(tmp_path: Path) -> None:
    spelled = Counter(
        {"tỉnh": 300, "tinh": 900, "ủy": 400, "bí": 300, "bis": 2, "thư": 800, "xông": 500, "xoong": 20, "cò": 5}
    )
    save_spellings(spelled, tmp_path / SPELLINGS_FILE)
    table = SpellingTable(tmp_path / SPELLINGS_FILE)
    folded = Counter({"tinh": 1000, "uy": 400, "bi": 300, "bis": 2, "thu": 800, "xong": 500, "xoong": 20})
    neighbours = Neighbours(Terms(**folded), lambda: table)  # type: ignore[arg-type]
    guesses = neighbours.guess(["tinhr", "uyr"])
    assert {w: (g.words, g.keystrokes) for w, g in guesses.items()} == {
        "tinhr": (["tỉnh"], True),  # not the one-edit tinh, in any spelling
        "uyr": (["ủy"], True),  # too short to guess at, but exact
    }
    # "bis" is a known word (a name, twice), read as keystrokes only in a
    # query that has other keystrokes: the input method was off.
    assert neighbours.guess(["bis"]) == {}
    assert neighbours.guess(["bis", "thuw"])["bis"] == Guess(["bí"], keystrokes=True)
    # ...but not when its only keys double a vowel: xoong is a word, though xông is commoner.
    assert "xoong" not in neighbours.guess(["xoong", "tinhr"])
    assert neighbours.guess(["dinhr"]) == {}  # đỉnh: no article spells it
    # Alone, a known word is read when a thousand times as many articles
    # spell the reading: a typo some article makes, not a word of its own.
    assert neighbours.guess(["thuw"]) == {"thuw": Guess(["thư"], keystrokes=True)}  # unknown
    assert neighbours.guess(["bis"]) == {}  # bí: 150 times as many
    many = Neighbours(Terms(tinhr=1, tinh=3000), lambda: table)  # type: ignore[arg-type]
    assert many.guess(["tinhr"]) == {}  # tỉnh: 300 articles, 300 times
    save_spellings(spelled + Counter({"tỉnh": 1000}), tmp_path / SPELLINGS_FILE)
    more = Neighbours(Terms(tinhr=1, tinh=3000), lambda: SpellingTable(tmp_path / SPELLINGS_FILE))  # type: ignore[arg-type]
    assert more.guess(["tinhr"]) == {"tinhr": Guess(["tỉnh"], keystrokes=True)}  # 1,300: read
    # Acronyms and excluded words are read, never guessed at; a code in capitals is not read.
    assert neighbours.guess(["tinhrr"]) != {} and neighbours.guess(["tinhrr"], only_read={"tinhrr"}) == {}
    assert "co2" not in neighbours.guess(["co2", "tinhr"], only_read={"co2"}, capitals={"co2"})
    assert "co2" in neighbours.guess(["co2", "tinhr"], only_read={"co2"})  # excluded, say: read
    # A short word with a digit is a code (CO2), unless the query is typed so.
    assert neighbours.guess(["co2"]) == {}
    assert neighbours.guess(["co2", "tinhr"])["co2"] == Guess(["cò"], keystrokes=True)


def test_a_known_word_written_beside_its_neighbour_as_typed_is_not_read(tmp_path: Path) -> None:
    save_spellings(Counter({"viện": 900, "mã": 500, "max": 10, "planck": 8, "bí": 300, "thư": 800}), tmp_path / "s")
    table = SpellingTable(tmp_path / "s")
    folded = Terms(vien=900, ma=500, max=10, planck=8, bi=300, bis=2, thu=800)
    written = Counter({("max", "planck"): 6, ("bi", "thu"): 250, ("vien", "ma"): 1})
    neighbours = Neighbours(folded, lambda: table, lambda pair: written[pair])  # type: ignore[arg-type]
    # "vieenj" shows the input method was off; "max" reads as mã, fifty times as common...
    assert neighbours.guess(["vieenj", "max"], pairs={("vieenj", "max")})["max"].words == ["mã"]
    # ...but six articles write "Max Planck", none "Mã Planck": it is meant as typed.
    found = neighbours.guess(["vieenj", "max", "planck"], pairs={("vieenj", "max"), ("max", "planck")})
    assert set(found) == {"vieenj"}
    # The neighbour counts as read: "bis thư" is nowhere, "bí thư" in 250 articles.
    assert neighbours.guess(["bis", "thuw"], pairs={("bis", "thuw")})["bis"].words == ["bí"]
    # Without a way to count, or without pairs, the word is read.
    alone = Neighbours(folded, lambda: table)  # type: ignore[arg-type]
    assert "max" in alone.guess(["vieenj", "max", "planck"], pairs={("max", "planck")})
    assert "max" in neighbours.guess(["vieenj", "max", "planck"])


def test_a_rare_word_its_neighbours_vouch_for_is_not_read_alone(tmp_path: Path) -> None:
    save_spellings(Counter({"thông": 40000, "thoong": 6, "lun": 20, "kinh": 9000, "tế": 8000}), tmp_path / "s")
    table = SpellingTable(tmp_path / "s")
    folded = Terms(thong=40000, thoong=6, lun=20, kinh=9000, te=8000, tees=2)
    written = Counter({("thoong", "lun"): 1, ("kinh", "te"): 700})
    neighbours = Neighbours(folded, lambda: table, lambda pair: written[pair])  # type: ignore[arg-type]
    # Alone, six articles against 40,000: a typo of its reading, read.
    assert neighbours.guess(["thoong"])["thoong"].words == ["thông"]
    # Beside "Lun", as one article writes it and none "Thông Lun": a name, kept.
    assert neighbours.guess(["thoong", "lun"], pairs={("thoong", "lun")}) == {}
    # A typo its neighbour does not vouch for is still read.
    assert neighbours.guess(["kinh", "tees"], pairs={("kinh", "tees")})["tees"].words == ["tế"]


def test_in_a_large_archive_a_word_few_articles_hold_is_not_a_guess(table: SpellingTable) -> None:
    terms = Terms(kenya=5, ghana=3, gandhi=2)
    terms.size = 80_000  # a guess must be in 4 articles: syllables run together in one are no name
    assert Neighbours(terms, lambda: table).guess(["ghandi", "kenyas"]) == {"kenyas": Guess(["kenya"])}  # type: ignore[arg-type]
    terms.size = 1000
    assert "ghandi" in Neighbours(terms, lambda: table).guess(["ghandi"])  # type: ignore[arg-type]


def test_a_word_is_cut_into_syllable_shaped_pieces() -> None:
    pieces = list(joined_pieces("chutich"))
    assert ("chu", "tich") in pieces and ("chut", "ich") in pieces
    assert all(len(p) > 1 for p in pieces)  # chutich is no syllable
    assert ("c", "hutich") not in pieces and ("chuti", "ch") not in pieces  # a piece has a vowel
    assert next(joined_pieces("nhan")) == ("nhan",)  # a syllable, whole first
    assert ("ho", "chi", "minh") in joined_pieces("hochiminh")
    assert all(len(p) <= 2 for p in joined_pieces("hochiminh", most=2))
    assert list(joined_pieces("brooklyn")) == []


def test_a_word_is_cut_where_its_pieces_end() -> None:
    assert cut("chủtịch", ["chu", "tich"]) == "chủ tịch"
    assert cut("Danang", ["da", "nang"]) == "Da nang"
    assert cut("Danang", ["da", "nang"], names=True) == "Da Nang"
    assert cut("DANANG", ["da", "nang"], names=True) == "DA NANG"


def test_a_word_typed_without_spaces_is_read_as_the_words_it_runs_together(table: SpellingTable) -> None:
    # Articles per pyvi word (chu_tich: chủ tịch), beside those per syllable.
    words = {"chu_tich": 40, "chut_ich": 0, "ha_noi": 600, "co_la": 3, "nguyen_tan_dung": 5, "co_le": 900}
    syllables = {"chu": 90, "tich": 80, "ha": 900, "noi": 900, "hanoi": 100, "co": 999, "la": 999, "cola": 2}
    terms = Terms(**words, **syllables, cole=150)
    terms.size = 10_000
    terms.held = {"cole": range(5000, 5150)}  # Ashley Cole: one article in 8 says có lẽ, as articles at large do
    neighbours = Neighbours(terms, lambda: table)  # type: ignore[arg-type]
    assert neighbours.guess(["chutich"]) == {"chutich": Guess(["chu tich"], joined=True)}
    assert neighbours.guess(["chủtịch"]) == {"chủtịch": Guess(["chủ tịch"], joined=True)}  # marks kept
    assert neighbours.guess(["nguyentandung"])["nguyentandung"].words == ["nguyen tan dung"]
    # A known word, when pyvi finds its pieces as a word in five times as many articles...
    assert neighbours.guess(["hanoi"]) == {"hanoi": Guess(["ha noi"], joined=True)}
    # ...not a known word whose pieces are only common syllables side by side (cola: có lá),
    # nor one whose articles hold pyvi's word no more often than articles at large.
    assert neighbours.guess(["cola"]) == {}
    assert neighbours.guess(["cole"]) == {}
    terms.held["cole"] = range(150)  # all about it: read
    assert Neighbours(terms, lambda: table).guess(["cole"])["cole"].words == ["co le"]  # type: ignore[arg-type]
    # A word in a few articles says too little: a hundred times as common is read (bithu), less is not (lola).
    few = Terms(bi_thu=700, bi=900, thu=900, bithu=1, lo_la=150, lo=900, la=900, lola=5)
    few.size = 10_000
    guessed = Neighbours(few, lambda: table).guess(["bithu", "lola"])  # type: ignore[arg-type]
    assert guessed == {"bithu": Guess(["bi thu"], joined=True)}
    # In a foreign name too (Hanoi Tower: as typed, and Hà Nội Tower), but not in an acronym or an exclusion.
    assert "hanoi" in neighbours.guess(["hanoi", "tower"], foreign={"hanoi"})
    assert neighbours.guess(["hanoi"], only_read={"hanoi"}) == {}
    # Too few articles in a large archive: syllables run together by accident.
    terms.size = 1_000_000  # a new generation: a guess needs 50 articles
    large = Neighbours(terms, lambda: table)  # type: ignore[arg-type]
    assert large.guess(["nguyentandung", "chutich"]) == {}
