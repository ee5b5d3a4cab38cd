"""'Did you mean': a corrected query built from the index itself.

For each run of query words:

1. a word the query itself read as Telex or VNI keystrokes becomes the
   word they spell (``tinhr`` → ``tỉnh``, :mod:`searchlib.keystrokes`);
   every other folded syllable the index does not know is replaced by the most
   frequent known syllable one edit away (``uyy`` → ``uy``); a syllable the
   index knows only as a rare typo of its own (``ngyen``: "Ngyễn" is in the
   news too) is replaced by a far more frequent neighbour when that makes
   the run appear as a phrase more often (``ngyen tan dung`` → ``nguyen tan
   dung``);
2. diacritics are restored as the corpus writes the whole run: among the
   documents where the (corrected) syllables stand next to each other, the
   most common spelling of the sequence wins, read from the spellings stored
   in the postings; a run never seen together falls back to each syllable's
   most common spelling;
3. a run that is a leader's name takes the name as the index displays it
   (``nguyen thanh hai`` → ``Nguyễn Thanh Hải``).

Nothing here runs at query time unless a query finds little or nothing.
"""

from __future__ import annotations

import functools
import re
import string
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from searchlib.abbreviations import key
from searchlib.engine import evaluate, phrase_articles
from searchlib.facets import FacetCounter
from searchlib.fuzzy import Guess, cut, guess_floor
from searchlib.normalize import SYLLABLE, SYLLABLE_SHAPE, cased, exact_form, fold
from searchlib.plan import SHORT_QUERY, Phrase, in_foreign_names
from searchlib.postings import Postings
from searchlib.query import ParsedQuery

__all__ = ["SUGGEST_BELOW", "Suggester", "cased"]

#: Results below which a query gets a suggestion.
SUGGEST_BELOW = 5
#: Documents read to learn how a run is spelled.
SAMPLE_DOCS = 50
#: Longest run of words respelled as one piece.
MAX_PIECE = 4
#: Shortest syllable that spelling correction touches.
MIN_CORRECTED = 3
#: Longest: one edit from a syllable (at most 7 letters, "nghieng"); edits of a
#: longer token grow with its length and can never be one.
MAX_CORRECTED = 8
#: A known syllable is a typo candidate when a neighbour is this many times more frequent.
MORE_POPULAR = 50
#: Neighbours tried, most frequent first, when correcting a known syllable in context.
CONTEXT_CANDIDATES = 5
#: A leader's name one edit off is put right when written this many times as often as the words typed.
NAME_MORE_COMMON = 10
#: Known words one edit from an unknown one tried in context, most frequent first.
NEAR_CANDIDATES = 10
#: Longest run whose phrase count decides a correction (longer: the word and its neighbours).
CONTEXT_RUN = 4
#: A foreign word (no Vietnamese syllable) this rare (in articles) and this
#: long, one edit from a word TWIN_RATIO times as common, is taken for a
#: typo that a few articles share: news text misspells most names somewhere
#: (Indonesa, 1 article; Indonesia, 1,952; Micheal 28, Michael 1,275). A
#: Vietnamese syllable is one edit from a commoner one as a rule, and is left
#: to the phrase counts of :meth:`Suggester._in_context`.
RARE_ARTICLES = 30
RARE_LETTERS = 5
TWIN_RATIO = 40

_LETTERS = string.ascii_lowercase + string.digits

#: Initials and finals that regional accents merge, so writers confuse them:
#: the commonest real-word misspellings (chứng khoáng, sử lý, chách nhiệm).
_ALIKE_INITIALS = (("tr", "ch"), ("s", "x"), ("gi", "d"), ("r", "d"), ("gi", "r"), ("l", "n"))
_ALIKE_FINALS = (("ng", "n"), ("c", "t"))
#: A pair of words respelled by sound must be a pyvi word in this many
#: articles, and this many times as many as the pair typed, and stand
#: together this many times as often.
ALIKE_ARTICLES = 20
ALIKE_RATIO = 20
#: The same, for a pair typed without marks.
ALIKE_UNMARKED_ARTICLES = 100
#: Runs of query words whose sound-alike and tone checks are remembered.
REMEMBERED_RUNS = 4096


#: Share of the articles that write a name that must list it as a leader
#: for the name to rank them: extraction also takes a street, a company or a
#: part of a name for a leader now and then (``Hồ Chí``: 1 of the 2,394
#: articles writing it; ``Phan Văn Khải``: 503 of 508).
TAGGED_SHARE = 0.3


class Suggester:
    """Builds suggestions for one generation from its term table and postings."""

    def __init__(
        self, postings: Postings, facets: FacetCounter, spellings: Callable[[], Mapping[str, int]] | None = None
    ) -> None:
        self.postings = postings
        self.facets = facets
        #: Documents per spelling (searchlib.spellings), read on first use.
        self._spellings = spellings
        self._names: dict[str, str] | None = None
        self._gaps: dict[tuple[str, ...], list[tuple[str, ...]]] | None = None
        self._load = threading.Lock()
        self._leaders: dict[str, bool] = {}  # leaders' names checked, for this generation
        self._respelled: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}

    def names_a_leader(self, name: str) -> bool:
        """Whether folded *name* is a leader's: the articles that write it mostly list it as one."""
        known = self._leaders.get(name)
        if known is None:
            tagged = self.postings.doc_frequency("leader_fold", name)
            if not tagged:
                return False  # a term lookup; not kept, or every query's word pairs would be
            written = len(evaluate(Phrase("text", tuple(name.split())), self.postings).ids)
            known = self._leaders[name] = tagged >= TAGGED_SHARE * written  # at most one per leader
        return known

    def _leader_names(self) -> dict[str, str]:
        assert self._names is not None, "suggest() reads the leader names first"
        return self._names

    def _read(self, reader: Any) -> None:
        """Read the leader names, once, through the calling thread's own reader.

        Not kept: another thread closes its reader when it moves to a new
        generation.
        """
        with self._load:
            if self._names is None:
                self._names = self.facets.names_by_folded(reader, "leader")

    def _known(self, words: set[str]) -> set[str]:
        """The *words* the index holds; syllable-shaped ones first, the rest only if none of those is."""
        # Edits are looked up only when syllable-shaped: a fifth of them, so
        # a typo costs milliseconds, not a read of the whole vocabulary (0.8 s
        # at 84,000 articles, on every CLI call that needed it).
        shaped = {w for w in words if SYLLABLE_SHAPE.fullmatch(w)}
        found = {w for w in shaped if self.postings.has_term("text", w)}
        return found or {w for w in words - shaped if self.postings.has_term("text", w)}

    def suggest(
        self,
        reader: Any,
        parsed: ParsedQuery,
        total: int,
        unsure: bool = False,
        guesses: Mapping[str, Guess] | None = None,
    ) -> str | None:
        """A better query than *parsed*, or None; *reader* is the caller's Whoosh reader.

        Only for a query that found little, was *unsure* (needed a looser
        match, or a guess at an unknown word), or was typed without
        diacritics and names a leader. *guesses* are the words the query
        itself searched in place of some of its words, by their exact form
        (:attr:`searchlib.plan.Plan.guesses`); the suggestion agrees.
        """
        accented = any(c.syllables.accented for g in parsed.groups for c in g)
        # A real word misspelt by sound (chứng khoáng) finds plenty, all wrong.
        short = len(parsed.groups) <= SHORT_QUERY and not parsed.is_question
        misheard = short and any(
            self._by_sound(run, typed) != run or self._by_tone(typed) != typed for run, typed in _plain_runs(parsed)
        )
        # A typo a few articles share finds those few (Liverpol: 3), or more beside other words.
        misspelt = short and any(
            self._popular_twin(c.syllables.folded[0]) for g in parsed.groups if _plain_word(g) for c in g
        )
        enough = total >= SUGGEST_BELOW and not unsure and not misheard and not misspelt
        if enough and accented:
            return None  # decided without reading the leader names: the common case stays cheap
        self._read(reader)
        if enough and not self._names_a_leader(parsed):
            return None
        parts: list[str] = []
        as_typed: list[str] = []  # the same query written the same way, uncorrected
        # A word typed without spaces (Chutich) is no foreign name beside its neighbours.
        foreign = in_foreign_names(parsed, {e for e, g in (guesses or {}).items() if g.joined})
        groups = parsed.groups
        i = 0
        while i < len(groups):
            j = i
            while j < len(groups) and _plain_word(groups[j]):
                j += 1
            if j > i:
                run = [g[0].syllables for g in groups[i:j]]
                typed = tuple(g[0].text for g in groups[i:j])
                parts.append(
                    self._run(
                        tuple(s.exact[0] for s in run),
                        tuple(s.folded[0] for s in run),
                        guesses or {},
                        typed,
                        foreign,
                        by_sound=short,
                    )
                )
                as_typed.append(" ".join(typed))
                i = j
                continue
            parts.append(" OR ".join(self._clause(c, guesses or {}) for c in groups[i]))
            as_typed.append(" OR ".join(_written(c, c.text) for c in groups[i]))
            i += 1
        # An excluded word read as keystrokes was left out as read (-uyr: -ủy).
        excluded = [
            self._clause(c, guesses or {})
            if c.kind == "phrase"
            else _written(c, cased(_first(guesses, c.syllables.exact[0]) or c.text, c.text))
            for c in parsed.excluded
        ]
        suggestion = " ".join(parts + excluded)
        if _spelled(suggestion) == _spelled(" ".join(as_typed + excluded)):
            # Nothing to correct: the query found little as it is. The other
            # tone placement (thuỷ/thủy), case or punctuation (GD&ĐT, "GD ĐT")
            # would find exactly the same articles.
            return None
        # Restoring diacritics to a query typed without them finds the same
        # documents; that is worth saying only for a leader's name.
        same_words = key(suggestion) == key(parsed.raw)
        if same_words and not accented and not self._names_a_leader(parsed):
            return None
        return suggestion

    def _clause(self, clause: Any, guesses: Mapping[str, Guess]) -> str:
        if clause.field is not None:
            # A field clause names what the index holds: only its keystrokes are read (title:thanhf).
            def read(match: re.Match[str]) -> str:
                guess = guesses.get(exact_form(match.group()))
                return cased(guess.words[0], match.group()) if guess and guess.keystrokes else match.group()

            return _written(clause, SYLLABLE.sub(read, clause.text))
        spelled = self._run(clause.syllables.exact, clause.syllables.folded, guesses)
        # Unchanged, it stays as typed: Ki-moon, not "ki moon".
        return _written(clause, clause.text if _spelled(spelled) == _spelled(clause.text) else spelled)

    def _run(
        self,
        exact: tuple[str, ...],
        folded: tuple[str, ...],
        guessed: Mapping[str, Guess],
        typed: tuple[str, ...] | None = None,
        foreign: set[str] | frozenset[str] = frozenset(),
        *,
        by_sound: bool = False,
    ) -> str:
        """Corrected and respelled words, in the longest pieces the corpus writes together.

        A word the index does not know and cannot correct keeps the user's
        spelling; words keep the capitals they were *typed* with, a leader's
        name takes the index's.
        """
        found = [guessed.get(e) for e in exact]
        guesses = [g.words[0] if g else None for g in found]
        # Keystrokes and words typed without spaces are read for certain, known or not (tinhr, hanoi).
        read = [bool(g and (g.keystrokes or g.joined)) for g in found]
        # Sound-alikes first: an unknown chách is trách (chách nhiệm), not its commonest edit, thách.
        # (Short queries only: a question's words run on, and side by side
        # they make all sorts of words.)
        hear = functools.partial(self._by_sound, typed=exact) if by_sound else _as_typed
        corrected = tuple(self.correct(*args) for args in zip(hear(folded), guesses, read))
        pieces = [c.split() for c in corrected]
        as_word: dict[str, str] = {}
        joined_parts = {w for p in pieces if len(p) > 1 for w in p}
        if joined_parts:
            # Words typed without spaces (chutich): each piece is a word of the run from here on.
            # The pieces as read (a mark left out put back: viêtnam, việt nam), else as typed.
            read_as = [g.words[0].split() if g is not None and g.joined else None for g in found]
            exact = tuple(
                w
                for e, p, r in zip(exact, pieces, read_as)
                for w in (r if r is not None and len(r) == len(p) else _cut_all((e,), [p]))
            )
            folded = tuple(w for p in pieces for w in p)
            typed = _cut_all(typed, pieces, names=_names(typed)) if typed is not None else None
            found = [g for g, p in zip(found, pieces) for g in ([None] * len(p) if len(p) > 1 else [g])]
            guesses = [g.words[0] if g else None for g in found]
            corrected = folded
            # Spelled as where pyvi found them one word: bithu is bí thư, though the corpus writes bị thu more.
            for part in (p for p in pieces if len(p) > 1):
                as_word.update(zip(part, self._as_one_word(tuple(part)) or ()))
        corrected = hear(self._in_context(self._among_guesses(corrected, found, folded)))
        corrected = tuple(self._popular_twin(c) or c for c in corrected)
        # hỏi for ngã and back (kết quã): the folded words stay, their spelling changes.
        retoned = self._by_tone(exact) if by_sound else exact
        fallback = {c: t for c, t, f in zip(corrected, retoned, folded) if c == f}
        # A guess at a word typed with diacritics kept them (Hưngg: Hưng); so does the suggestion.
        preferred = {c: g for g, c in zip(guesses, corrected) if g is not None and fold(g) == c and g != c}
        # Words typed with marks keep them ("bí thư" is not respelled as the commoner bị thu).
        preferred.update(
            {c: e for e, c, f in zip(retoned, corrected, folded) if c == f and e != f and c not in preferred}
        )
        # A word of a foreign name takes no Vietnamese marks (Brooklyn Nets: Net, not Nét).
        # (Corrected, it is the correction: Sadam Hussein is Saddam Hussein.)
        preferred.update(
            {c: g or (e if fold(e) == c else c) for e, c, g in zip(exact, corrected, guesses) if e in foreign}
        )
        for c, as_one in as_word.items():
            preferred.setdefault(c, as_one)
        if any(g.keystrokes for g in guessed.values()):
            # Typed as keystrokes, a word without keys has no marks (Hồ Chí Minh, not Mình).
            preferred.update(
                {c: e for e, c, g in zip(exact, corrected, guesses) if g is None and e == c and c not in joined_parts}
            )
        out: list[str] = []
        i = 0
        names = self._names_in(corrected)
        if not names and (near := self._near_name(corrected)) != corrected:
            # Lê Khả Phiu is Lê Khả Phiêu: a leader's name with one syllable slipped.
            corrected, names = near, self._names_in(near)
        # A piece beside a name is spelled as it is written beside that name:
        # "phan van khai tham my" is Khải thăm Mỹ, not the commoner thẩm mỹ.
        after = {end: start for start, end, _ in names}  # where a name ends: where it starts
        before = {start: end for start, end, _ in names}
        # Names first: left to the longest pieces, "thu tuong phan van khai"
        # was cut after "phan van" and "khai" respelled alone.
        for start, end, name in [*names, (len(corrected), len(corrected), "")]:
            while i < start:
                for size in range(min(MAX_PIECE, start - i), 0, -1):
                    spelled = self._beside_name(corrected, i, i + size, after, before, preferred) or self._spell_piece(
                        corrected[i : i + size], fallback, preferred
                    )
                    if spelled:
                        if typed is not None:
                            spelled = tuple(cased(w, t) for w, t in zip(spelled, typed[i : i + size]))
                        out.extend(spelled)
                        i += size
                        break
            if name:
                out.append(name)
            i = end
        return " ".join(out)

    def _beside_name(
        self,
        run: tuple[str, ...],
        start: int,
        end: int,
        after: dict[int, int],
        before: dict[int, int],
        preferred: dict[str, str],
    ) -> tuple[str, ...] | None:
        """The spelling of ``run[start:end]`` where the corpus writes it next to the name it touches, or None."""
        if start in after:
            spelled = self._spell_piece(run[after[start] : end], {}, preferred)
            return spelled[start - after[start] :] if spelled else None
        if end in before:
            spelled = self._spell_piece(run[start : before[end]], {}, preferred)
            return spelled[: end - start] if spelled else None
        return None

    def _names_in(self, folded: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """Leaders' names in a run of folded syllables: ``(start, end, name as displayed)``, leftmost, longest."""
        names = self._leader_names()
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(folded):
            for size in range(min(MAX_PIECE, len(folded) - i), 1, -1):
                key = " ".join(folded[i : i + size])
                name = names.get(key)
                if name and self.names_a_leader(key):  # not Hồ Chí, in ho chi minh
                    found.append((i, i + size, name))
                    i += size
                    break
            else:
                i += 1
        return found

    def _near_name(self, run: tuple[str, ...]) -> tuple[str, ...]:
        """*run* with a leader's name of three or more syllables put right where one of them is one edit off.

        ``le kha phiu`` is *Lê Khả Phiêu* (20 articles), ``nong duc mang`` *Nông
        Đức Mạnh*: the other syllables as typed, the one left one edit from
        the name's, and the name written :data:`NAME_MORE_COMMON` times as
        often as the words typed (another person may bear the name typed).
        """
        index = self._names_by_gap()
        for size in range(min(MAX_PIECE, len(run)), 2, -1):
            for start in range(len(run) - size + 1):
                window = run[start : start + size]
                found: set[tuple[str, ...]] = set()
                for j, typed in enumerate(window):
                    if len(typed) < 2 or not typed.isalpha():
                        continue  # two letters are enough here: the rest of the name vouches (lw Duẩn)
                    near = _edits(typed)
                    for name in index.get((*window[:j], "*", *window[j + 1 :]), ()):
                        if name[j] in near and self.names_a_leader(" ".join(name)):
                            found.add(name)
                if not found:
                    continue
                counts = {name: self._phrase_count(name) for name in sorted(found)}
                best = max(counts, key=counts.__getitem__)
                if counts[best] >= NAME_MORE_COMMON * max(1, self._phrase_count(window)):
                    return run[:start] + best + run[start + size :]
        return run

    def _names_by_gap(self) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
        """Leaders' names of three or more syllables (folded), under each way of leaving one syllable out."""
        with self._load:
            if self._gaps is None:
                gaps: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
                for key in self._leader_names():
                    name = tuple(key.split())
                    if 3 <= len(name) <= MAX_PIECE:
                        for j in range(len(name)):
                            gaps.setdefault((*name[:j], "*", *name[j + 1 :]), []).append(name)
                self._gaps = gaps
            return self._gaps

    def _spell_piece(
        self, folded: tuple[str, ...], typed: dict[str, str], preferred: dict[str, str]
    ) -> tuple[str, ...] | None:
        if len(folded) == 1:
            return (
                preferred.get(folded[0]) or self._most_common_spelling(folded[0]) or typed.get(folded[0], folded[0]),
            )
        # The commonest way the corpus writes the run, among those that keep
        # the spellings the query settled (bis thuw: bí thư, not bị thu).
        agree = [
            run
            for run, _ in self.spellings_of_run(folded).most_common()
            if all(preferred.get(f, s) == s for f, s in zip(folded, run))
        ]
        return agree[0] if agree else None

    def _names_a_leader(self, parsed: ParsedQuery) -> bool:
        names = self._leader_names()
        words = " ".join(s for g in parsed.groups for c in g if c.field is None for s in c.syllables.folded)
        return any(f" {name} " in f" {words} " and self.names_a_leader(name) for name in names)

    # --- step 1: spelling ----------------------------------------------------

    def correct(self, syllable: str, guess: str | None = None, read: bool = False) -> str:
        """*syllable* if the index knows it, else its most frequent known neighbour.

        Syllables under three letters are left alone: every one of them is
        a single edit away from dozens of others. Beyond one edit, and for
        words longer than a syllable (``Cloroplastidan``), the correction is
        *guess*, the spelling the query itself searched in its place; and
        *guess* whatever the syllable when the query *read* it as keystrokes.
        """
        if guess is not None and read:
            return fold(guess)  # typed as keystrokes (tinhr, bis): what they spell, known or not
        if len(syllable) < MIN_CORRECTED or not syllable.isalpha() or self.postings.has_term("text", syllable):
            return syllable
        if guess is not None:
            # What the query searched in its place: the guess kept the marks
            # typed (dụcc: dục), where the commonest edit would not (được).
            return fold(guess)
        if len(syllable) <= MAX_CORRECTED:
            # Not a word a few articles ran together (thưưong, cuộchội): what fuzzy matching would not search either.
            floor = guess_floor(self.postings.size)
            candidates = {c for c in self._known(_edits(syllable)) if self._df(c) >= floor}
            if candidates:
                return max(sorted(candidates), key=self._df)
        return fold(guess) if guess else syllable

    def _popular_twin(self, word: str) -> str | None:
        """The word one edit from foreign *word* that is :data:`TWIN_RATIO` times as common, when *word* is rare.

        Any known word, not only syllable-shaped ones: *Sadam* is *Saddam*,
        not the syllable-shaped *saam*. Remembered for this generation, with
        the sound and tone checks: the trigger and the suggestion both ask.
        """
        if len(word) < RARE_LETTERS or not word.isalpha() or SYLLABLE_SHAPE.fullmatch(word):
            return None
        key = ("twin", (word,), ())
        if key not in self._respelled:
            self._remember(key, self._twin(word))
        return (self._respelled[key] or (None,))[0]

    def _twin(self, word: str) -> tuple[str, ...]:
        df = self._df(word)
        if not 0 < df <= RARE_ARTICLES:
            return ()
        known = {w: self._df(w) for w in _edits(word) if _slip(word, w) and self.postings.has_term("text", w)}
        best = max(sorted(known), key=known.__getitem__, default=None)
        return (best,) if best is not None and known[best] >= TWIN_RATIO * df else ()

    def _among_guesses(
        self, run: tuple[str, ...], found: list[Guess | None], typed: tuple[str, ...] | None = None
    ) -> tuple[str, ...]:
        """*run* with each unknown word taken as the correction its neighbours are written with.

        ``hoi dong nhan dann`` searched *dang*, *dan* and *danh*; the corpus
        writes *nhân dân*, not *nhân đang*. Besides what the query searched,
        the known words one edit from a short unknown *typed* word count, by
        how often the whole run is written with each, else the word and its
        two neighbours: ``Quảng Nnh`` is *Quảng Ninh* (669 articles of the
        news index), not the commonest edit, *anh* (*Quảng Anh*: 5), and
        ``vo van kie`` is *Võ Văn Kiệt*, not *võ văn kế*.
        """
        if len(run) < 2:
            return run
        best = run
        for i, guess in enumerate(found):
            if guess is not None and (guess.keystrokes or guess.joined):
                continue
            options = [fold(w) for w in guess.words] if guess is not None else []
            word = typed[i] if typed is not None and len(typed) == len(run) else None
            if word is not None and MIN_CORRECTED <= len(word) <= MAX_CORRECTED and word.isalpha():
                if not self.postings.has_term("text", word):
                    options += [c for c in self._near_known(word) if c not in options]
            if len(options) < 2:
                continue
            for start, end in ((0, len(best)), (max(0, i - 1), min(len(best), i + 2))):
                if end - start > CONTEXT_RUN:
                    continue  # a question's whole run stands nowhere: its neighbours decide
                counts = {c: self._phrase_count(best[start:i] + (c,) + best[i + 1 : end]) for c in options}
                if max(counts.values()):
                    chosen = max(options, key=counts.__getitem__)  # the first of equals: the guess's own order
                    best = best[:i] + (chosen,) + best[i + 1 :]
                    break
        return best

    def _near_known(self, word: str) -> list[str]:
        """The commonest known words one edit from *word*, in enough articles to be a guess."""
        floor = guess_floor(self.postings.size)
        df = {c: self._df(c) for c in self._known(_edits(word))}
        return sorted((c for c, n in df.items() if n >= floor), key=lambda c: (-df[c], c))[:NEAR_CANDIDATES]

    def _in_context(self, run: tuple[str, ...]) -> tuple[str, ...]:
        """*run* with rare known syllables replaced where a popular neighbour makes it a common phrase."""
        if len(run) < 2:
            return run
        best, best_count = run, self._phrase_count(run)
        for i, syllable in enumerate(run):
            if len(syllable) < MIN_CORRECTED or not syllable.isalpha():
                continue
            floor = MORE_POPULAR * max(1, self._df(syllable))
            if floor > self.postings.size:
                continue  # no neighbour can be that much more frequent: skip the lookups
            df = {c: self._df(c) for c in self._known(_edits(syllable))}
            popular = sorted((c for c, n in df.items() if n >= floor), key=lambda c: (-df[c], c))
            for candidate in popular[:CONTEXT_CANDIDATES]:
                trial = best[:i] + (candidate,) + best[i + 1 :]
                count = self._phrase_count(trial)
                if count > best_count:
                    best, best_count = trial, count
        return best

    def _by_sound(self, run: tuple[str, ...], typed: tuple[str, ...] = ()) -> tuple[str, ...]:
        """:meth:`_heard`, remembered for this generation: the check and the suggestion both ask."""
        key = ("sound", run, typed)
        if key not in self._respelled:
            self._remember(key, self._heard(run, typed))
        return self._respelled[key]

    def _by_tone(self, typed: tuple[str, ...]) -> tuple[str, ...]:
        """:meth:`_retoned`, remembered for this generation."""
        key = ("tone", typed, ())
        if key not in self._respelled:
            self._remember(key, self._retoned(typed))
        return self._respelled[key]

    def _remember(self, key: tuple[str, tuple[str, ...], tuple[str, ...]], value: tuple[str, ...]) -> None:
        if len(self._respelled) >= REMEMBERED_RUNS:
            self._respelled.clear()
        self._respelled[key] = value

    def _heard(self, run: tuple[str, ...], typed: tuple[str, ...] = ()) -> tuple[str, ...]:
        """*run* (folded) with a word misspelt as another that sounds alike put right, where the corpus says so.

        A pair of query words that pyvi's words almost never hold, one
        initial or final away from a pair they often do (*chung khoang*: 1
        article of the news index, *chung khoan*: 961), and that stands
        together far less often (35 articles against 968), is that pair.
        Typed with diacritics (*typed*, the exact forms), the respelling
        keeps them, and it is the pair so spelled that must be common:
        ``cặp giò`` is no ``cặp dò``, though *cấp độ* is everywhere. Term
        lookups per variant, cheap enough for every short query; the phrase
        counts only for a pair that passes them.
        """
        spelled = [t if fold(t) == f else f for t, f in zip(typed, run)] if len(typed) == len(run) else list(run)
        best = run
        for i in range(len(run) - 1):
            left, right = best[i], best[i + 1]
            if self._in_word(best, i - 1) or self._in_word(best, i + 1):
                continue  # chính phủ đã: phủ is taken, and phủ đã is no phụ gia
            words = self.postings.doc_frequency("words", f"{left}_{right}")
            options = [((left, v), (spelled[i], e)) for v, e in _sound_alikes(right, spelled[i + 1])] + [
                ((v, right), (e, spelled[i + 1])) for v, e in _sound_alikes(left, spelled[i])
            ]
            counts = {pair: self.postings.doc_frequency("words", "_".join(pair)) for pair, _ in options}
            found = [
                (pair, exact)
                for pair, exact in options
                if counts[pair] >= max(self._alike_floor(exact, pair), ALIKE_RATIO * (words + 1))
            ]
            if not found:
                continue
            pair, exact = max(sorted(found), key=lambda option: counts[option[0]])
            # Two words side by side (giá dầu) are no pyvi word either: the
            # pair must also stand together far less often than its respelling.
            marked = all(e != f for e, f in zip(exact, pair))
            was = (spelled[i], spelled[i + 1]) if marked else None
            if self._phrase_count(pair, exact if marked else None) >= ALIKE_RATIO * self._phrase_count(
                (left, right), was
            ):
                best = best[:i] + pair + best[i + 2 :]
                spelled[i : i + 2] = exact
        return best

    def _retoned(self, typed: tuple[str, ...]) -> tuple[str, ...]:
        """*typed* (exact forms) with a hỏi written for a ngã, or the reverse, put right where the corpus says so.

        The commonest misspelling of all, and one no folded form shows: a
        spelling the corpus holds twenty times less often than its twin
        (``quã``: a few typos, ``quả``: everywhere), beside a query word it
        stands with twenty times less often than the twin does (*kết quã*,
        *kết quả*), among the first articles that hold the pair. ``mồ mả``
        stays: *mả* is rare, but *mồ mả* is what the corpus writes. Lookups
        in the spelling table; the sample only for a rare spelling with a
        common twin.
        """
        if self._spellings is None or len(typed) < 2:
            return typed
        table = self._spellings()
        out = list(typed)
        for i, word in enumerate(typed):
            twin = _tone_twin(word)
            if twin is None or table.get(twin, 0) < ALIKE_RATIO * max(1, table.get(word, 0)):
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(out):
                    continue
                as_typed = (word, out[j]) if i < j else (out[j], word)
                retoned = (twin, out[j]) if i < j else (out[j], twin)
                # How the first articles that hold the pair spell it: a sample
                # is enough to see one spelling drown the other, and costs a
                # few milliseconds where counting every article costs 0.3 s.
                seen = self.spellings_of_run(tuple(fold(w) for w in as_typed))
                if seen[retoned] >= ALIKE_ARTICLES and seen[retoned] >= ALIKE_RATIO * seen[as_typed]:
                    out[i] = twin
                    break
        return tuple(out)

    def _alike_floor(self, exact: tuple[str, ...], folded: tuple[str, ...]) -> int:
        """Articles a respelled pair must be a word in: more when nothing else vouches for it.

        Typed with marks, each word respelled must be a spelling the corpus
        has (``giá dầu``: *dá* is in 3 articles, so no *đá dầu*); typed
        without, the pair's words count is all there is to go by before
        counting phrases, which costs up to a tenth of a second.
        """
        table = self._spellings() if self._spellings is not None else None
        if table is not None and all(e != f for e, f in zip(exact, folded)):
            return ALIKE_ARTICLES if all(table.get(e, 0) >= ALIKE_ARTICLES for e in exact) else 1 << 62
        return ALIKE_UNMARKED_ARTICLES

    def _in_word(self, run: tuple[str, ...], i: int) -> bool:
        """Whether ``run[i]`` and ``run[i + 1]`` make a word pyvi finds in many articles."""
        if i < 0 or i + 1 >= len(run):
            return False
        return self.postings.doc_frequency("words", f"{run[i]}_{run[i + 1]}") >= ALIKE_ARTICLES

    def _df(self, syllable: str) -> int:
        return self.postings.doc_frequency("text", syllable)

    def _phrase_count(self, run: tuple[str, ...], spelled: tuple[str, ...] | None = None) -> int:
        return phrase_articles(self.postings, run, spelled)

    # --- step 2: diacritics -----------------------------------------------------

    def _as_one_word(self, folded: tuple[str, ...]) -> tuple[str, ...] | None:
        """The commonest spelling of *folded* among the articles where pyvi found it one word."""
        seen = self.spellings_as_word(folded)
        return seen.most_common(1)[0][0] if seen else None

    def spellings_as_word(self, folded: tuple[str, ...]) -> Counter[tuple[str, ...]]:
        """How a sample of the articles where pyvi found *folded* one word spell it (``da nang``: *đà nẵng*).

        The sample is the first articles of the pyvi word's postings: no
        phrase is evaluated, so a common pair costs a few decodes (a phrase
        over *công an* cost 25 ms on the news index).
        """
        docs = self.postings.get("words", "_".join(folded)).ids[:SAMPLE_DOCS]
        return self.spellings_of_run(folded, docs=docs)

    def spellings_of_run(self, folded: tuple[str, ...], docs: Any = None) -> Counter[tuple[str, ...]]:
        """How a sample of the articles holding *folded* side by side spell it (or of *docs*, when given)."""
        if docs is None:
            docs = evaluate(Phrase("text", folded), self.postings).ids[:SAMPLE_DOCS]
        decode = self.postings.schema["text"].format.decode_spelled
        lists = [self.postings.get("text", t) for t in folded]
        seen: Counter[tuple[str, ...]] = Counter()
        for docnum in docs.tolist():
            spelled = []
            for term, plist in zip(folded, lists):
                row = int(plist.ids.searchsorted(docnum))
                if row >= len(plist.ids) or plist.ids[row] != docnum:
                    break  # not in this article after all (a sample given)
                positions, spellings = decode(plist.value(row))
                spelled.append(dict(zip(positions, spellings or [term] * len(positions))))
            if len(spelled) < len(folded):
                continue
            for start, first in spelled[0].items():
                run = [first] + [spelled[i].get(start + i) for i in range(1, len(folded))]
                if all(run):
                    seen[tuple(run)] += 1
        return seen

    def _most_common_spelling(self, folded: str) -> str | None:
        plist = self.postings.get("text", folded)
        if not len(plist.ids):
            return None
        decode = self.postings.schema["text"].format.decode_spelled
        seen: Counter[str] = Counter()
        for row in range(min(len(plist.ids), SAMPLE_DOCS)):
            positions, spellings = decode(plist.value(row))
            seen.update(spellings or [folded] * len(positions))
        return seen.most_common(1)[0][0]


def _first(guesses: Mapping[str, Guess] | None, exact: str) -> str | None:
    guess = (guesses or {}).get(exact)
    return guess.words[0] if guess else None


def _written(clause: Any, text: str) -> str:
    """*clause* with *text* as its words, in query syntax: ``-leader:"Lê Văn A"``."""
    quoted = f'"{text}"' if any(ch.isspace() for ch in text) else text
    return ("-" if clause.negated else "") + (f"{clause.field}:" if clause.field else "") + quoted


def _spelled(text: str) -> tuple[str, ...]:
    """The syllables of *text* as the index tells spellings apart: case, tone placement and punctuation aside."""
    return tuple(exact_form(s) for s in SYLLABLE.findall(text))


def _sound_alikes(folded: str, spelled: str) -> list[tuple[str, str]]:
    """*folded* with an initial or a final swapped for one an accent merges with it, and *spelled* so.

    ``khoang`` gives ``khoan`` (``khoáng``: ``khoán``); no swap that the
    spelling does not allow (``đ`` is no ``d`` to a speaker).
    """
    if not folded.isalpha() or len(folded) < 2:
        return []
    out = []
    for pairs, swap in ((_ALIKE_INITIALS, _swap_initial), (_ALIKE_FINALS, _swap_final)):
        for a, b in pairs:
            for x, y in ((a, b), (b, a)):
                respelled, exact = swap(folded, x, y), swap(spelled, x, y)
                if respelled is not None and exact is not None and SYLLABLE_SHAPE.fullmatch(respelled):
                    out.append((respelled, exact))
    return out


_HOI, _NGA = "\u0309", "\u0303"


def _tone_twin(syllable: str) -> str | None:
    """*syllable* with its hỏi (◌̉) written as a ngã (◌̃) or the reverse, or None: ``quã`` → ``quả``."""
    decomposed = unicodedata.normalize("NFD", syllable)
    if _HOI in decomposed:
        return unicodedata.normalize("NFC", decomposed.replace(_HOI, _NGA))
    if _NGA in decomposed:
        return unicodedata.normalize("NFC", decomposed.replace(_NGA, _HOI))
    return None


def _swap_initial(syllable: str, old: str, new: str) -> str | None:
    # The initial "n" is not the start of "ng" or "nh".
    if not syllable.startswith(old) or (old == "n" and syllable[1:2] in ("g", "h")):
        return None
    return new + syllable[len(old) :]


def _swap_final(syllable: str, old: str, new: str) -> str | None:
    if not syllable.endswith(old) or (old == "n" and syllable.endswith(("ng", "nh"))):
        return None
    if old == "c" and syllable.endswith("ch"):
        return None
    return syllable[: -len(old)] + new


def _cut_all(words: tuple[str, ...], pieces: list[list[str]], names: Sequence[bool] | None = None) -> tuple[str, ...]:
    """*words*, each cut where its folded *pieces* end (``chủtịch``: ``chủ``, ``tịch``).

    A word *names* marks is a name typed without spaces, and each of its
    pieces is capitalised as the word is: ``Danang`` is *Đà Nẵng*.
    """
    out: list[str] = []
    for i, (word, parts) in enumerate(zip(words, pieces)):
        if len(parts) == 1:
            out.append(word)
        elif len(word) != sum(map(len, parts)):
            out.extend(parts)
        else:
            out.extend(cut(word, parts, names=bool(names and names[i])).split())
    return tuple(out)


def _names(typed: tuple[str, ...]) -> list[bool]:
    """Which words typed were capitalised as names: not the first alone, which a phone capitalises (Bithu tinhuy)."""
    alone = len(typed) > 1 and not any(t[:1].isupper() for t in typed[1:])
    return [t[:1].isupper() and not (i == 0 and alone) for i, t in enumerate(typed)]


def _as_typed(run: tuple[str, ...]) -> tuple[str, ...]:
    return run


def _plain_runs(parsed: ParsedQuery) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """The folded and the exact syllables of each run of plain query words."""
    return [
        (tuple(c.syllables.folded[0] for c in run), tuple(c.syllables.exact[0] for c in run))
        for run in parsed.runs()
        if len(run) > 1
    ]


def _plain_word(group: list[Any]) -> bool:
    return len(group) == 1 and group[0].kind == "word" and group[0].field is None


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | transposes | replaces | inserts) - {word}


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_AT = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
_VOWELS = set("aeiouy")


def _slip(typed: str, word: str) -> bool:
    """Whether *typed* reads as *word* mistyped: a letter dropped, doubled or swapped, a vowel or a neighbouring key.

    Not a first letter changed, nor a key far away: *Obama* is not a slip
    for *Osama*, nor *Belly* for *Kelly*.
    """
    if typed[:1] != word[:1] and typed[:2] != word[1::-1]:
        return False
    if len(typed) != len(word):
        return True  # a letter dropped or added
    diff = [(a, b) for a, b in zip(typed, word) if a != b]
    if len(diff) != 1:
        return True  # two letters swapped
    ((a, b),) = diff
    if a in _VOWELS and b in _VOWELS:
        return True
    (ra, ia), (rb, ib) = _KEY_AT.get(a, (9, 99)), _KEY_AT.get(b, (-9, -99))
    return abs(ra - rb) <= 1 and abs(ia - ib) <= 1
