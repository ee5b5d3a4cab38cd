"""Set-at-a-time evaluation: phrases against a brute-force reading of the text."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from searchlib.api import Index
from searchlib.document import Document
from searchlib.normalize import exact_form, folded_form

from .conftest import doc

# Four folded syllables, each with several spellings (both tone placements of "hòa").
VOCABULARY = ["ba", "bà", "bá", "ca", "cá", "cà", "đa", "da", "hòa", "hoà", "hoa"]


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    rng = random.Random(11)
    texts = {f"d{i}": rng.choices(VOCABULARY, k=rng.randint(1, 30)) for i in range(150)}
    # Positions past 65,535 are stored as 4-byte integers: the phrase only out there.
    texts["long"] = ["đa"] * 70_000 + ["bà", "cá", "hòa"]
    return texts


@pytest.fixture(scope="module")
def index(corpus: dict[str, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Index:
    from searchlib.api import open_index
    from searchlib.indexer import add_documents

    path = tmp_path_factory.mktemp("engine") / "index"
    add_documents([doc(i, " ".join(words)) for i, words in corpus.items()], path)
    return open_index(path)


def _found(index: Index, query: str) -> set[str]:
    return {hit.id for hit in index.search(query, limit=1000, snippets=False).hits}


@pytest.mark.parametrize(
    "phrase",
    ["ba ca", "ca ba", "hoa da ba", "ba ba", "da", "ca hoa ba da"],
)
def test_unaccented_phrase_matches_every_spelling_standing_together(
    index: Index, corpus: dict[str, list[str]], phrase: str
) -> None:
    expected = {i for i, words in corpus.items() if _contains([folded_form(w) for w in words], phrase.split())}
    assert _found(index, f'"{phrase}"') == expected


@pytest.mark.parametrize("phrase", ["bà cá", "cá bà", "bá ca hòa", "hoà đa", "bà cá hòa"])
def test_phrase_with_diacritics_matches_its_spelling_only(
    index: Index, corpus: dict[str, list[str]], phrase: str
) -> None:
    wanted = [exact_form(w) for w in phrase.split()]
    expected = {i for i, words in corpus.items() if _contains([exact_form(w) for w in words], wanted)}
    assert expected  # the corpus has each of them
    assert _found(index, f'"{phrase}"') == expected


def test_phrase_far_into_a_long_document(index: Index) -> None:
    assert "long" in _found(index, '"ba ca hoa"') and "long" in _found(index, '"bà cá hoà"')
    assert "long" not in _found(index, '"da ba da"')


def test_phrase_does_not_join_title_and_body(make_index: Callable[[list[Document]], Index]) -> None:
    # The title is indexed apart from the body: "ba" then "ca" are not a phrase.
    index = make_index([doc("a", "ba", title="ca"), doc("b", "ba"), doc("c", "ca ba")])
    assert _found(index, '"ba ca"') == set()
