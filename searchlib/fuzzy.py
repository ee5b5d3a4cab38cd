"""Known words near an unknown one: what a misspelled query word was meant to be.

A query word that no article holds (``Cloroplastidan``, ``Ghandi``,
``uyy``) can match nothing as typed. Like Elasticsearch's ``fuzziness:
AUTO``, the query layer then also searches the known words within a few
edits of it: one edit for words of four or five letters, two for longer
ones, counting a swap of two neighbouring letters as one edit (optimal
string alignment). Shorter words are left alone: every one of them is a
single edit away from dozens of others.

Candidates come from the generation's spelling table (every spelling the
index holds, with its document count, see :mod:`searchlib.spellings`),
narrowed to those that start with the same letter, diacritics aside, and
have a length within reach. As in Elasticsearch's default ``prefix_length``
for fast fuzzy queries, a typo in the first letter is not corrected here
("did you mean", :mod:`searchlib.suggest`, does try it). The distances are
computed for all candidates at once, one row of the edit-distance table per
letter of the word, in numpy.

Only the closest candidates are kept, and of those only the ones at least a
tenth as common as the most common: ``nguyenn`` becomes ``nguyen``, not also
a rarer one-edit neighbour that would rank its own articles first. Closest
first beats weighing frequency across distances on typos made at random in
words of the news index (``scripts/eval_typos.py``): a misspelling that
some article makes too (*Idonesia*, once) may then stand in for the word
(*Indonesia*), but far more often the common word two edits away is not the
one meant. A word typed with diacritics is compared with the spellings,
marks included: ``Hưngg`` guesses *Hưng*, not the more common *Hùng*.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from searchlib import keystrokes
from searchlib.normalize import FOLDS_TO, SYLLABLE_SHAPE, fold
from searchlib.postings import Postings
from searchlib.spellings import SpellingTable, complete_syllable

__all__ = [
    "MAX_ALTERNATIVES",
    "MIN_LETTERS",
    "Guess",
    "Neighbours",
    "candidates",
    "closest_first",
    "cut",
    "edit_distances",
    "joined_pieces",
    "max_edits",
    "similar_words",
]

#: Shortest word that is matched fuzzily.
MIN_LETTERS = 4
#: Words this long or longer may be two edits from what was meant.
TWO_EDITS_FROM = 6
#: Most known words searched in place of one unknown word.
MAX_ALTERNATIVES = 3
#: A candidate is kept only if at least this share as common as the most common one.
MIN_SHARE = 0.1
#: Articles per one that a guess must be in: a word in fewer is as likely
#: a scraping accident (syllables run together, ``tinhù``, ``quachí``) as a
#: name. One in a small archive (XQuAD's 240 passages spell each name
#: once or twice); four in the 84,132 news articles.
ARTICLES_PER_GUESS = 20_000
#: Most syllables read out of one word typed without its spaces (``hochiminh``).
MAX_JOINED = 4
#: A known word typed without its spaces is read as the words it runs
#: together when pyvi finds those as one word in this many times as many
#: articles: ``hanoi`` (144 articles of the news index; *Hà Nội* 11,836),
#: ``vietnam`` (660; 15,240), ``saigon`` (323; 2,982).
JOINED_MORE_COMMON = 5
#: ...and when the articles holding the word hold pyvi's word this many
#: times as often as articles at large: *Hà Nội* is in 104 of the 144 that
#: write ``hanoi`` (lift 5.1), *có lẽ* in 82 of the 524 that name Ashley
#: ``Cole`` (2.8), *ba con* in none of the ten about ``bacon``.
JOINED_LIFT = 3.0
#: A word in fewer articles says too little about what they speak of: it
#: is read apart when pyvi's word is this many times as common instead
#: (``bithu``, 1 article, *bí thư* 665; ``hochiminh`` 5, 870; not ``lola``
#: 5, *lộ la* 147, nor ``bongo``, 5 against 232).
JOINED_LIFT_FROM = 10
JOINED_FEW_MORE_COMMON = 100
#: Unknown words whose neighbours one generation remembers.
REMEMBERED = 1024
#: Unknown words of one query that are guessed at; the rest match nothing.
MAX_GUESSED = 4
#: In a query typed with the input method off, a known word is read as
#: keystrokes when more than this many times as many articles spell what they type.
FAR_MORE_COMMON = 10
#: ...and in any query, when this many times: the word is then a typo some
#: article makes (``tees``, twice, for *tế*). English words stay below it
#: (``sex``/*sẽ* 77×, ``teen``/*tên* 113×, in the news index).
ALONE_MORE_COMMON = 1000


def guess_floor(size: int) -> int:
    """Articles a word must be in, in an index of *size*, to be guessed for an unknown one."""
    return max(1, size // ARTICLES_PER_GUESS)


@dataclass(frozen=True)
class Guess:
    """The known words searched in place of one query word, best first."""

    words: list[str]
    #: Read as Telex or VNI keystrokes (``tinhr``: ``tỉnh``), not matched fuzzily.
    keystrokes: bool = False
    #: Read as several words typed without spaces (``chutich``: ``chu tich``);
    #: the only word then holds them, space-separated.
    joined: bool = False


def max_edits(word: str) -> int:
    """How many edits away a known word may be from *word* (0: not matched fuzzily)."""
    if len(word) < MIN_LETTERS or not word.isalpha():
        return 0
    return 2 if len(word) >= TWO_EDITS_FROM else 1


def joined_pieces(folded: str, most: int = MAX_JOINED) -> Iterator[tuple[str, ...]]:
    """Every way to cut *folded* (lower case, no marks) into at most *most* syllable-shaped pieces, whole first."""
    if SYLLABLE_SHAPE.fullmatch(folded):
        yield (folded,)
    if most < 2:
        return
    for end in range(1, min(len(folded), 8)):  # no syllable is longer than seven letters (nghiêng)
        head = folded[:end]
        if SYLLABLE_SHAPE.fullmatch(head):
            for rest in joined_pieces(folded[end:], most - 1):
                yield (head, *rest)


def similar_words(word: str, spellings: SpellingTable) -> list[str]:
    """Known spellings closest to *word* (lower case), most common first; empty when none is near.

    *word* is expected to be one the index does not hold. Typed without
    diacritics it is compared with the folded words (``nguyenn`` finds
    ``nguyen``, every spelling); typed with them, with the spellings, a
    mark counting as an edit (``hưngg`` finds ``hưng`` before ``hùng``).
    """
    distances, counts = candidates(word, spellings)
    return closest_first(distances, counts)


def candidates(word: str, spellings: SpellingTable) -> tuple[dict[str, int], dict[str, int]]:
    """The known words within reach of *word*: their edit distances, and their document counts."""
    folded_word = fold(word)
    edits = max_edits(folded_word)
    if not edits:
        return {}, {}
    accented = folded_word != word
    letters = FOLDS_TO.get(folded_word[0], folded_word[0])
    counts: dict[str, int] = {}
    for spelling, documents in spellings.starting_with(letters, len(word) - edits, len(word) + edits):
        candidate = spelling if accented else fold(spelling)
        if candidate != word:
            # Spellings of one folded word add up; the sum may count an
            # article twice (hòa and hoà), which is close enough to rank by.
            counts[candidate] = counts.get(candidate, 0) + documents
    names = sorted(counts)
    distances = {c: d for c, d in zip(names, edit_distances(word, names).tolist()) if d <= edits}
    return distances, counts


def closest_first(distances: dict[str, int], counts: dict[str, int]) -> list[str]:
    """The closest of the candidates, most common first, at most three, none under a tenth of the first."""
    if not distances:
        return []
    closest = min(distances.values())
    best = sorted((c for c, d in distances.items() if d == closest), key=lambda c: (-counts[c], c))
    floor = counts[best[0]] * MIN_SHARE
    return [c for c in best[:MAX_ALTERNATIVES] if counts[c] >= floor]


def edit_distances(word: str, candidates: Sequence[str]) -> np.ndarray:
    """The optimal-string-alignment distance from *word* to each of *candidates*.

    One row of the dynamic-programming table per letter of *word*, computed
    for every candidate at once. Within a row, the insertion step depends on
    the cell to its left; ``D[i][j] = min(base[j], D[i][j-1] + 1)`` is a
    running minimum of ``base[k] + (j - k)``, which
    ``np.minimum.accumulate`` gives in one call.
    """
    if not candidates:
        return np.zeros(0, dtype=np.int32)
    width = max(len(c) for c in candidates)
    padded = "".join(c.ljust(width, "\0") for c in candidates)  # NUL never matches a letter
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).reshape(len(candidates), width)
    lengths = np.fromiter((len(c) for c in candidates), dtype=np.intp, count=len(candidates))
    columns = np.arange(width + 1, dtype=np.int32)
    previous = np.broadcast_to(columns, (len(candidates), width + 1)).copy()  # D[0][j] = j
    before: np.ndarray | None = None  # D[i-2]
    letters = [ord(ch) for ch in word]
    for i, letter in enumerate(letters, start=1):
        cost = (codes != letter).astype(np.int32)
        base = np.minimum(previous[:, :-1] + cost, previous[:, 1:] + 1)  # substitute, delete; j = 1..width
        if before is not None and width > 1:
            swapped = (codes[:, 1:] == letters[i - 2]) & (codes[:, :-1] == letter)
            base[:, 1:] = np.where(swapped, np.minimum(base[:, 1:], before[:, :-2] + 1), base[:, 1:])
        row = np.empty_like(previous)
        row[:, 0] = i
        row[:, 1:] = base
        # Insertions: D[i][j] = min over k <= j of row[k] + (j - k).
        row = np.minimum.accumulate(row - columns, axis=1) + columns
        before, previous = previous, row
    distances: np.ndarray = previous[np.arange(len(candidates)), lengths]
    return distances


class Neighbours:
    """What a query's words were meant to be, for one generation.

    The known words near an unknown word are remembered from one query to
    the next, as the generation never changes.
    """

    def __init__(
        self,
        postings: Postings,
        spellings: Callable[[], SpellingTable],
        together: Callable[[tuple[str, str]], int] | None = None,
    ) -> None:
        self.postings = postings
        self._spellings = spellings  # read on the first unknown word only
        #: Articles that hold two folded syllables side by side.
        self._together = together
        self._seen: dict[str, list[str]] = {}
        self._apart_seen: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def guess(
        self,
        words: Sequence[str],
        *,
        only_read: Collection[str] = (),
        capitals: Collection[str] = (),
        pairs: Collection[tuple[str, str]] = (),
        foreign: Collection[str] = (),
    ) -> dict[str, Guess]:
        """What some of one query's lower-case *words* were meant to be, by word.

        A word that reads as Telex or VNI keystrokes for a word the index
        spells so (``tinhr``: *tỉnh*) is read so, whatever its length, if no
        article has it, or so few that the reading is in a thousand times as
        many (``tees``, a typo in two articles, for *tế*), unless articles
        write it beside a query neighbour more often than its reading (see
        below). Once one word of
        the query reads so, the input method was off for the whole query: a
        known word with a tone key is read too when ten times as many
        articles spell what it types (``bis``, in 65 articles of the news
        index: *bí*, in thousands; ``Lee`` and ``boong``, whose only keys
        would double a vowel, stay), unless articles write it as typed next
        to a word it stands by in the query, more often than its reading
        (*pairs*, words typed side by side: ``Max Planck``, never *Mã
        Planck*), and so is a short word with a digit
        (``uy3``: *ủy*), which alone is taken for a code (``co2``). Other
        unknown words get the known words near them, for the query's first
        few only: each guess reads the spelling table, and a pasted paragraph
        of foreign text would otherwise cost a read per word, for words that
        are not typos.

        Words in *only_read* are read as keystrokes but never guessed at
        (acronyms: ``HĐNN`` is not a typo of ``HĐND``; excluded words;
        phrases). Words typed in *capitals* that could be codes are never
        read: ``CO2`` is a code even among keystrokes, nor, on their own, are
        words of a *foreign* name (``Nets`` in ``Brooklyn Nets``; but
        ``Toongr Thoongs Bush`` reads *Tổng thống*).
        """
        distinct = list(dict.fromkeys(words))
        known = {w: self.postings.has_term("text", fold(w)) for w in distinct}
        documents = {w: self._documents(w) if known[w] else 0 for w in distinct}
        apart = {w: pieces for w in distinct if w not in only_read and (pieces := self._apart(w, documents[w]))}
        if apart and foreign:
            # A word typed without spaces is no foreign name, nor are its neighbours (Chutich Nuoc).
            foreign = {f for f in foreign if not any(n in apart for pair in pairs if f in pair for n in pair)}

        def reading(word: str, ratio: int) -> str | None:
            return self._typed(word, ratio * documents[word])

        read = {
            w: spelled
            for w in distinct
            if not keystrokes.ambiguous(w)
            and w not in foreign
            and (spelled := reading(w, ALONE_MORE_COMMON)) is not None
            # A rare word is a typo of its reading, unless its neighbours vouch
            # for it (Thoong Lun Sisulith, a Lao minister, is not Thông Lun).
            and not (known[w] and self._meant(w, spelled, pairs, {}))
        }
        if read:
            # Once other words read, a word beside a foreign name is read too
            # (Toongr Thoongs Bush: Tổng thống, with the input method off).
            codes = {w for w in capitals if keystrokes.ambiguous(w)}
            rest = [w for w in distinct if w not in read and w not in codes]
            for word in rest:
                spelled = reading(word, FAR_MORE_COMMON)
                if spelled is None:
                    continue
                # A known word whose only keys double a vowel is a foreign one (Lee, boong, moon).
                if not known[word] or (keystrokes.toned(spelled) and not self._meant(word, spelled, pairs, read)):
                    read[word] = spelled
        guesses = {w: Guess([spelled], keystrokes=True) for w, spelled in read.items()}
        for word, pieces in apart.items():
            if word not in read:
                guesses[word] = Guess([pieces], joined=True)
        left = MAX_GUESSED
        for word in distinct:
            if not known[word] and word not in guesses and word not in only_read and max_edits(fold(word)) and left > 0:
                left -= 1
                floor = guess_floor(self.postings.size)
                near = [w for w in self._near(word) if self._documents(w) >= floor]
                if near:
                    guesses[word] = Guess(near)
        return {w: guesses[w] for w in distinct if w in guesses}

    def _apart(self, word: str, documents: int) -> str | None:
        """*word* as the words it runs together (``chutich``: ``chu tich``), or None.

        Pyvi must find the pieces as one word (*chủ tịch*), in at least as
        many articles as a guess needs, and in :data:`JOINED_MORE_COMMON`
        times as many as hold *word* (*documents*) when some do, and then
        :data:`JOINED_LIFT` times as often in those: a phrase of common
        syllables is not enough (``cola`` is not *có lá*, nor ``coca`` *có
        ca*), nor a common word a foreign name spells (``Cole``, ``Bacon``).
        A Vietnamese syllable (``nhan``) is never cut.
        The pieces keep the marks typed (``chủtịch``: ``chủ tịch``).
        """
        folded = fold(word)
        if (
            len(folded) < MIN_LETTERS
            or not (folded.isascii() and folded.isalpha())
            or len(folded) != len(word)
            or SYLLABLE_SHAPE.fullmatch(folded)
        ):
            return None
        with self._lock:
            if word in self._apart_seen:
                pieces = self._apart_seen[word]
                return self._cut(word, pieces) if pieces else None
        counts = {
            pieces: self.postings.doc_frequency("words", "_".join(pieces))
            for pieces in joined_pieces(folded)
            if len(pieces) > 1
        }
        best = max(counts, key=lambda p: (counts[p], -len(p)), default=())
        floor = max(guess_floor(self.postings.size), JOINED_MORE_COMMON * documents)
        found = best if best and counts[best] >= floor else ()
        if found and documents >= JOINED_LIFT_FROM:
            # A known word: its own articles must speak of what it would be read as.
            held = self.postings.get("text", folded).ids
            both = len(np.intersect1d(held, self.postings.get("words", "_".join(found)).ids, assume_unique=True))
            if both * self.postings.size < JOINED_LIFT * counts[found] * len(held):
                found = ()
        elif found and documents and counts[found] < JOINED_FEW_MORE_COMMON * documents:
            found = ()
        with self._lock:
            if len(self._apart_seen) >= REMEMBERED:
                self._apart_seen.clear()
            self._apart_seen[word] = found
        return self._cut(word, found) if found else None

    def _cut(self, word: str, pieces: Sequence[str]) -> str:
        """*word* cut into *pieces*, a mark left out of one put back (``viêtnam``: ``việt nam``)."""
        return " ".join(complete_syllable(p, self._spellings) or p for p in cut(word, pieces).split())

    def _meant(self, word: str, spelled: str, pairs: Collection[tuple[str, str]], read: dict[str, str]) -> bool:
        """Whether some article writes *word* as typed beside a query neighbour, more often than *spelled*.

        The neighbour counts as read, if it was: ``vieenj Max Planck`` keeps
        *Max* for *Max Planck*, where ``bis thuw`` reads *bí*, since *bis
        thư* is nowhere and *bí thư* everywhere.
        """
        if self._together is None:
            return False
        for left, right in pairs:
            if word not in (left, right) or left == right:
                continue
            neighbour = right if word == left else left
            other = fold(read.get(neighbour, neighbour))
            as_typed, as_read = ((fold(w), other) if word == left else (other, fold(w)) for w in (word, spelled))
            typed = self._together(as_typed)
            if typed and typed > self._together(as_read):
                return True
        return False

    def _typed(self, word: str, more_than: int = 0) -> str | None:
        """The word that *word* types in Telex or VNI, if more than *more_than* articles spell it so."""
        spelled = keystrokes.decode(word)
        return spelled if spelled is not None and self._spellings().get(spelled, 0) > more_than else None

    def _documents(self, word: str) -> int:
        return self.postings.doc_frequency("text", fold(word))

    def _near(self, word: str) -> list[str]:
        with self._lock:
            if word in self._seen:
                return list(self._seen[word])
        near = similar_words(word, self._spellings())
        with self._lock:
            if len(self._seen) >= REMEMBERED:
                self._seen.clear()
            self._seen[word] = near
        return list(near)


def cut(word: str, pieces: Sequence[str], *, names: bool = False) -> str:
    """*word* cut where its folded *pieces* end, space-separated: ``chủtịch``, (chu, tich): ``chủ tịch``.

    With *names*, a word typed capitalised (not in capitals) is a name typed
    without spaces: ``Danang`` gives ``Da Nang``.
    """
    title = names and word[:1].isupper() and not word.isupper()
    out, start = [], 0
    for piece in pieces:
        part = word[start : start + len(piece)]
        out.append(part[:1].upper() + part[1:] if title else part)
        start += len(piece)
    return " ".join(out)
