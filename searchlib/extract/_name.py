"""Reading personal names and office titles off a short run of words.

:meth:`NameParser.tokens` cuts the few words after a title into tokens;
the parser then decides which of them continue the title (organisation
words, abbreviations, places) and where a personal name starts.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from typing import NamedTuple

from ..normalize import canonical_tones
from ._lexicon import Rules
from ._regex import LazyRegex, trie_pattern
from ._vn import LOWER, UPPER, key, tone_variants

__all__ = ["Name", "NameParser", "Token", "canonical_name"]

_PIECE = LazyRegex(r"([ \n])([^ \n]+)")
# A capitalised syllable; a hyphen may join more ("Jong-Il" in "Kim Jong-Il").
_SYLLABLE = LazyRegex(rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}]?[{LOWER}]+)*")
# "UBND", "T.P", and with "&": "GD&ĐT", "TN&MT".
_ABBR = LazyRegex(rf"[{UPPER}][{UPPER}\d.&]*[{UPPER}\d.]")
# One-letter syllables that begin a body's name ("Sở Y tế", "Ý Yên").
_ONE_LETTER = frozenset("YÝ")
_MAX_TOKENS = 14
# A lower-case syllable right after the run (one space, then a whole word),
# and a lower-case two-syllable word followed by a capitalised one.
_LOWER_NEXT = LazyRegex(rf" ([{LOWER}]+)(?![\w])")
_LOWER_WORD = LazyRegex(rf" ([{LOWER}]+) ([{LOWER}]+)(?= [{UPPER}])")
# Words run together, a full stop between them or not.
_GLUED_STOP = LazyRegex(rf"([{UPPER}][{LOWER}]+)\.[{UPPER}].*")
_GLUED = LazyRegex(rf"([{UPPER}][{LOWER}]+)[{UPPER}].*")

#: Middle names that never end a Vietnamese name.
_MIDDLE = frozenset({"Văn", "Thị"})
#: Given names that are also words a name stops at ("Dự hội nghị có ...").
_GIVEN_STOPS = frozenset({"Được", "Dự", "Sáng"})

#: Names and titles repeat across articles; their canonical form is cached.
canonical_name = lru_cache(maxsize=4096)(canonical_tones)

#: A personal name in canonical spelling, with its start and end offsets.
Name = tuple[str, int, int]


def _glued(word: str) -> re.Match[str] | None:
    """A word run into the next: "Dũng.Tại" (a full stop's space lost), "MinhỦy" (a line break lost).

    Romanised names keep their inner capitals ("McCain").
    """
    return _GLUED_STOP.rx.fullmatch(word) or (None if word.isascii() else _GLUED.rx.fullmatch(word))


class Token(NamedTuple):
    """A word after a title: its text, offsets, and what surrounds it."""

    text: str
    start: int
    end: int
    newline: bool  # a line break comes before it
    stop: bool  # a full stop comes right after it
    name_word: bool  # capitalised syllable that may belong to a personal name
    joined: bool = False  # lower-case word inside an organisation's name ("Thương mại")


class NameParser:
    """Tell title words, places and personal names apart."""

    def __init__(
        self, surnames: frozenset[str], places: frozenset[str], rules: Rules, words: frozenset[str] = frozenset()
    ) -> None:
        self.surnames = surnames
        self.places = frozenset(v for p in places for v in tone_variants(p))
        self.place_heads = frozenset(p.split(" ", 1)[0] for p in self.places)
        self.stop = rules.stop_syllables
        self.singles = rules.title_singles
        self.pairs = rules.title_pairs
        self.openers = rules.title_openers
        # After these a capitalised pair names the place or the business.
        self.units = rules.place_units | rules.org_units
        self.org_phrases = tuple(rules.org_phrases)
        # The words that can follow a title: capitalised words and
        # abbreviations, or lower-case words of the title vocabulary. The run
        # stops at the first other word ("đã", "phát biểu"), so a title is
        # tokenised only as far as it can reach.
        lower_words = set(self.singles) | {p.split(" ", 1)[1] for p in self.pairs}
        lower_words |= self.openers  # whole: "thành phố", never "thị" alone
        # A dash between capitalised words stays in the run: "Bà Rịa - Vũng Tàu".
        self.run = re.compile(
            rf"(?:[ \n](?:[{UPPER}][\w.]*(?:[-&]\w+)*|[-–](?= [{UPPER}])|(?:{trie_pattern(lower_words)})(?![\w])))+"
        )
        # Two-syllable dictionary words (pyvi's, as :func:`._vn.key` spells
        # them): an organisation's name may go on in lower case ("Sở Thương
        # mại", "Viện Vệ sinh"), where the run would otherwise stop.
        self.words = words

    def run_at(self, text: str, pos: int) -> tuple[int, bool]:
        """End of the title/name run at *pos*, and whether a family name occurs in it.

        A cheap look before :meth:`tokens`: most titles in an article are
        not followed by a name ("Bí thư Tỉnh ủy đề nghị ...").
        """
        end, _ = self._run(text, pos)
        return end, any(w in self.surnames for w in text[pos:end].split())

    def _run(self, text: str, pos: int) -> tuple[int, set[int]]:
        """End of the run of title and name words at *pos*, and where its lower-case name words start.

        An organisation's name may go on in lower case ("Sở Thương mại",
        "Viện Vệ sinh dịch tễ Trung ương"): a lower-case syllable that
        finishes a dictionary word begun by a capitalised one belongs to the
        run, and so does one more lower-case dictionary word after it when a
        capitalised word follows. The run goes on after them.
        """
        end, joined = pos, set()
        while m := self.run.match(text, end):
            end = m.end()
            finish = _LOWER_NEXT.rx.match(text, end)
            if finish is None:
                break
            before = text[max(text.rfind(" ", pos, end), text.rfind("\n", pos, end)) + 1 : end]
            if not self._completes(before, finish.group(1)):
                break
            joined.add(finish.start(1))
            end = finish.end()
            more = _LOWER_WORD.rx.match(text, end)
            if more is not None and key(f"{more.group(1)} {more.group(2)}") in self.words:
                joined |= {more.start(1), more.start(2)}
                end = more.end(2)
        return end, joined

    def _completes(self, before: str, word: str) -> bool:
        """Whether lower-case *word* finishes a dictionary word that capitalised *before* begins."""
        return (
            before not in self.stop
            and (_SYLLABLE.rx.fullmatch(before) is not None or before in _ONE_LETTER)
            and key(f"{before} {word}") in self.words
        )

    def tokens(self, text: str, pos: int, barriers: Collection[int] = ()) -> list[Token]:
        """Words from *pos* on, up to the first word that cannot belong to a title or name."""
        end, joined = self._run(text, pos)
        out: list[Token] = []
        start = pos
        for sep, word in _PIECE.rx.findall(text[pos:end]):
            start += 1
            if start in barriers or len(out) == _MAX_TOKENS:
                break  # another title starts here
            stop = word.endswith(".") and not _ABBR.rx.fullmatch(word)
            clean = word.rstrip(".") if stop else word
            if not stop and (glued := _glued(word)):
                clean, stop = glued.group(1), True
            name_word = clean not in self.stop and _SYLLABLE.rx.fullmatch(clean) is not None
            # Also a title word the run took in that finishes the word before ("Bưu chính").
            inside = start in joined or (bool(out) and clean.islower() and self._completes(out[-1].text, clean))
            out.append(Token(clean, start, start + len(clean), sep == "\n", stop, name_word, inside))
            if stop:
                break
            start += len(word)
        return out

    def run_end(self, toks: list[Token], i: int) -> int:
        """End (exclusive) of the capitalised run starting at token *i*."""
        j = i
        while j < len(toks) and j - i < 6 and (toks[j].name_word or self._given_despite_stop(toks, i, j)):
            # Over a line break only when the name so far is incomplete:
            # "Nguyễn\nThanh Hải" joins, "Nguyễn Thanh Hải\nPhát biểu" does not.
            if j > i and toks[j].newline and j - i >= 3:
                break
            j += 1
            if toks[j - 1].stop:
                break
        return j

    @staticmethod
    def _given_despite_stop(toks: list[Token], i: int, j: int) -> bool:
        """Whether token *j*, a word that usually ends a name, is the given name of the two before it.

        After a middle name any capitalised word is ("Nguyễn Văn Được");
        after another name word, the few stop words that are given names
        are, when the run ends with them ("Trương Quang Được, Phó chủ tịch",
        "Phạm Quang Dự cho biết"): capitalised mid-sentence, they cannot
        start a sentence.
        """
        if j != i + 2 or _SYLLABLE.rx.fullmatch(toks[j].text) is None:
            return False
        if toks[i + 1].text in _MIDDLE:
            return True
        return toks[j].text in _GIVEN_STOPS and not toks[j].newline and (j == len(toks) - 1 or toks[j].stop)

    def place_length(self, words: list[str]) -> int:
        """How many leading *words* form a known place name (0 if none)."""
        if words[0].lower() not in self.place_heads:
            return 0
        for k in range(min(5, len(words)), 0, -1):  # five: "Bà Rịa - Vũng Tàu"
            if " ".join(words[:k]).lower().replace("–", "-") in self.places:
                return k
        return 0

    def _org_phrase(self, toks: list[Token], i: int, j: int) -> bool:
        phrase = " ".join(t.text for t in toks[i : j + 1]).lower()
        return phrase.startswith(self.org_phrases)

    def _make(self, toks: list[Token]) -> Name:
        return canonical_name(" ".join(t.text for t in toks)), toks[0].start, toks[-1].end

    def name_at(self, toks: list[Token], i: int, after_unit: bool = False) -> Name | None:
        """The personal name starting exactly at token *i*, if there is one."""
        j = self.run_end(toks, i)
        words = [t.text for t in toks[i:j]]
        if not words or words[0] not in self.surnames or self.place_length(words):
            return None
        if any("-" in w and not w.isascii() for w in words[:-1]):
            return None
        if words[-1] in _MIDDLE:
            return None  # "Nguyễn Văn": the given name is missing
        if after_unit and len(words) == 2:
            return None  # "Bí thư Huyện ủy Võ Nhai": a district, not a person
        if len(words) == 2 and key(" ".join(words)) in self.words:
            return None  # "Bộ Nông Nghiệp": a common word capitalised, not a person
        if 2 <= len(words) <= 4 and not self._org_phrase(toks, i, j):
            parts = toks[i:j]
            last = parts[-1]
            if "-" in last.text and not last.text.isascii():
                # A hyphen in Vietnamese text is a dash with its spaces lost
                # ("Nguyễn Hồng Quân-người ..."); romanised names keep theirs
                # ("Kim Jong-Il").
                head = last.text.split("-", 1)[0]
                parts = [*parts[:-1], last._replace(text=head, end=last.start + len(head))]
            return self._make(parts)
        return None

    def _named_unit(self, words: list[str]) -> int:
        """How many of *words*, after a unit word, name the unit rather than a person.

        A district is two syllables ("Võ Nhai"); a business any number
        ("Netnam", "Dịch vụ Hà Thành"): its name ends where a surname starts
        a three- or four-word name that fills the rest of the run ("Netnam
        Trần Bá Thái"). Two words left are as likely a place ("Bắc Trà My").
        """
        if len(words) < 2:
            return 0
        for size in (3, 4):
            k = len(words) - size
            if k >= 1 and words[k] in self.surnames:
                return k
        return 2

    def _continues_title(self, word: str, low: str, prev: str, following: str) -> bool:
        if _ABBR.rx.fullmatch(word) or word in self.stop:
            return True
        return low in self.singles or f"{prev} {low}" in self.pairs or f"{low} {following}" in self.openers

    def after_title(self, toks: list[Token], head_end: int, head: str) -> tuple[int, Name | None]:
        """Where the title *head* (ending at *head_end*) really ends, and the name after it."""
        role_end, pending_and = head_end, False
        prev = head.rsplit(" ", 1)[-1].lower()
        # A title that ends with a unit ("Chủ tịch huyện") is followed by its place.
        after_unit = prev in self.units or " ".join(head.lower().split()[-2:]) in self.units
        i = 0
        while i < len(toks):
            t = toks[i]
            low = t.text.lower()
            skip = 0
            if t.name_word:
                name = self.name_at(toks, i, after_unit)
                if name is not None:
                    return role_end, (None if pending_and else name)
                words = [x.text for x in toks[i : self.run_end(toks, i)]]
                # Skip a known place (which may run over a dash), or the name
                # of a district or a business after "huyện", "Huyện ủy" or "Công ty".
                place = self.place_length([x.text for x in toks[i : i + 5]]) or (
                    self._named_unit(words) if after_unit else 0
                )
                skip = max(1, place)
            elif t.text[:1].isupper():
                # A place that opens with a form of address: "Bà Rịa - Vũng Tàu".
                skip = self.place_length([x.text for x in toks[i : i + 5]])
            if skip:
                last = toks[i + skip - 1]
                # A unit's name that goes on in lower case ("Bệnh viện Phụ
                # sản Từ Dũ") is still the unit's: keep the flag through it.
                within = after_unit and i + skip < len(toks) and toks[i + skip].joined
                role_end, prev, after_unit, pending_and = last.end, last.text.lower(), within, False
                if last.stop:
                    break
                i += skip
                continue
            following = toks[i + 1].text if i + 1 < len(toks) else ""
            # "Y" of "Sở Y tế": a word the next, lower-case one finishes.
            finished = i + 1 < len(toks) and toks[i + 1].joined
            if not (t.joined or finished or self._continues_title(t.text, low, prev, following)):
                break
            pending_and = low == "và"
            if not pending_and:
                role_end = t.end
            after_unit = (after_unit and t.joined) or low in self.units or f"{prev} {low}" in self.units
            prev = low
            if t.stop:
                break
            i += 1
        return role_end, None

    def name_in_run(self, run: str, start: int) -> Name | None:
        """The name ending a capitalised *run* found at *start* (for ``Name, Title``)."""
        toks = self.tokens(" " + run, 0)
        toks = [t._replace(start=t.start - 1 + start, end=t.end - 1 + start) for t in toks]
        breaks = [k for k, t in enumerate(toks) if t.newline]
        if breaks and len(toks) - breaks[-1] >= 2:
            toks = toks[breaks[-1] :]
        for i in range(len(toks)):
            words = [t.text for t in toks[i:]]
            if len(words) <= 4 and not self.place_length(words) and words[0] in self.surnames:
                if len(words) >= 2 and all(t.name_word for t in toks[i:]):
                    return self._make(toks[i:])
        return None
