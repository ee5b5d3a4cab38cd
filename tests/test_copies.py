from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from searchlib.copies import NONE, Copies
from searchlib.schema import content_key


@dataclass
class FakePostings:
    hashes: list[int]
    deleted: tuple[int, ...] = ()

    @property
    def size(self) -> int:
        return len(self.hashes)

    @property
    def live(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        live[list(self.deleted)] = False
        return live

    def contents(self) -> np.ndarray:
        return np.array(self.hashes, dtype=np.int64)


def test_the_content_key_ignores_spacing_only() -> None:
    assert content_key("Họp  Tỉnh ủy", "Bàn về\n chuyển đổi số. ") == content_key(
        "Họp Tỉnh ủy", "Bàn về chuyển đổi số."
    )
    assert content_key("Họp Tỉnh ủy", "Bàn về số.") != content_key("Họp Tỉnh uỷ", "Bàn về số.")  # another spelling
    assert content_key("A", "B C") != content_key("A B", "C")  # the title ends where it ends


def test_groups_hold_only_live_articles_with_a_hash() -> None:
    # 7 and 7: a group; 5 with a deleted twin: none; 0 is "written without a hash".
    copies = Copies(FakePostings([7, 5, 7, 0, 0, 5, 9, 7], deleted=(5,)))  # type: ignore[arg-type]
    assert copies.group.tolist() == [0, NONE, 0, NONE, NONE, NONE, NONE, 0]
    assert copies.extra == 2
    assert copies.count(np.array([0, 1, 2, 3, 4, 6, 7])) == 5
    assert copies.hidden([7, 1, 0, 2]) == [2, 3]  # the first of a group stays, wherever it ranks


def test_without_copies_nothing_is_hidden() -> None:
    copies = Copies(FakePostings([1, 2, 3]))  # type: ignore[arg-type]
    assert copies.extra == 0 and copies.hidden([0, 1, 2]) == [] and copies.count(np.array([0, 2])) == 2
