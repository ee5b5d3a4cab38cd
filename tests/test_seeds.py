"""Search over the five real seed articles, when ../shared is next to the repo."""

from __future__ import annotations

import pytest

from searchlib.api import Index, build_index, open_index

from .conftest import SEEDS, needs_shared

pytestmark = needs_shared(SEEDS)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Index:
    path = tmp_path_factory.mktemp("seeds") / "index"
    report = build_index([SEEDS], path)
    assert report.documents == 5 and not report.failed
    return open_index(path)


def ids(index: Index, query: str = "", **kw: object) -> set[str]:
    return {h.id[:3] for h in index.search(query, limit=50, **kw).hits}  # type: ignore[arg-type]


def test_leader_filter_returns_exactly_the_articles_naming_him(seeds: Index) -> None:
    assert ids(seeds, leader="Nguyễn Thanh Hải") == {"000", "003", "004"}
    assert ids(seeds, leader="nguyen thanh hai") == {"000", "003", "004"}


def test_date_filter_excludes_articles_without_a_date(seeds: Index) -> None:
    assert "002" not in ids(seeds, since="2000")
    assert ids(seeds, since="2020-06", until="2020-12") == {"000", "001", "003"}


def test_matching_matrix_on_real_text(seeds: Index) -> None:
    for query in ["bí thư tỉnh ủy", "BÍ THƯ TỈNH ỦY", "bi thu tinh uy", "tỉnh uỷ"]:
        assert "001" in ids(seeds, query), query


def test_facets_over_seeds(seeds: Index) -> None:
    facets = seeds.search("").facets
    assert facets.leaders["Nguyễn Thanh Hải"] == 3
    assert facets.years == {"2021": 1, "2020": 3}
