from __future__ import annotations

from searchlib.snippets import (
    EXACT,
    FOLDED,
    PREFER_EXACT,
    Highlighter,
    render_ansi,
    render_html,
    render_plain,
)


def seq(text: str, mode: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    from searchlib.query import Syllables

    s = Syllables.of(text)
    return s.exact, s.folded, mode


def marked(highlighter: Highlighter, text: str) -> str:
    return render_plain(text, highlighter.spans(text))


def test_folded_matches_cover_every_spelling() -> None:
    h = Highlighter([seq("tinh uy", FOLDED)])
    assert marked(h, "Tỉnh uỷ và Tỉnh ủy, TỈNH ỦY") == "[Tỉnh uỷ] và [Tỉnh ủy], [TỈNH ỦY]"


def test_exact_phrase_needs_its_diacritics() -> None:
    h = Highlighter([seq("Nguyễn Thanh Hải", EXACT)])
    assert marked(h, "Nguyễn Thanh Hải và Nguyễn Thành Hải") == "[Nguyễn Thanh Hải] và Nguyễn Thành Hải"


def test_prefer_exact_falls_back_to_folded_only_when_unspelled() -> None:
    h = Highlighter([seq("hội", PREFER_EXACT)])
    assert marked(h, "Hội nghị, hỏi han") == "[Hội] nghị, hỏi han"
    assert marked(h, "chỉ có hỏi han") == "chỉ có [hỏi] han"


def test_longest_sequence_wins_and_words_do_not_match_inside_syllables() -> None:
    h = Highlighter([seq("hội nghị", PREFER_EXACT), seq("hội", PREFER_EXACT), seq("nghị", PREFER_EXACT)])
    assert marked(h, "Hội nghị; hội viên; nghịch") == "[Hội nghị]; [hội] viên; nghịch"


def test_tone_variants_highlight_in_the_original_spelling() -> None:
    h = Highlighter([seq("tỉnh ủy", PREFER_EXACT)])
    assert marked(h, "Văn phòng Tỉnh uỷ") == "Văn phòng [Tỉnh uỷ]"


def test_snippet_fragments_and_spans() -> None:
    body = ("Mở đầu bài viết không liên quan. " * 12) + "Bí thư Tỉnh uỷ phát biểu tại hội nghị. " + ("Đoạn sau. " * 30)
    snippet = Highlighter([seq("hội nghị", FOLDED)]).snippet(body)
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert 160 <= len(snippet.fragments[0].text) <= 240
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["hội nghị"]


def test_snippet_without_matches_is_the_lead() -> None:
    snippet = Highlighter([seq("xyz", FOLDED)]).snippet("Câu đầu tiên. Câu thứ hai.")
    assert snippet.text == "Câu đầu tiên. Câu thứ hai." and snippet.highlights == []


def test_snippet_picks_fragments_with_new_words() -> None:
    body = "Alpha ở đầu. " + "lấp đầy " * 60 + "Beta ở cuối."
    snippet = Highlighter([seq("alpha", FOLDED), seq("beta", FOLDED)]).snippet(body)
    assert len(snippet.fragments) == 2
    assert [snippet.text[a:b] for a, b in snippet.highlights] == ["Alpha", "Beta"]


def test_renderers() -> None:
    text, spans = "a <b> & Hội", [(2, 5), (8, 11)]
    assert render_plain(text, spans) == "a [<b>] & [Hội]"
    assert render_html(text, spans) == "a <mark>&lt;b&gt;</mark> &amp; <mark>Hội</mark>"
    assert render_ansi(text, spans) == "a \x1b[1;33m<b>\x1b[0m & \x1b[1;33mHội\x1b[0m"


def test_a_highlight_in_a_bold_title_leaves_the_rest_bold() -> None:
    from searchlib.render import _BOLD, _RESET, _paint

    painted = _paint(render_ansi("Quà tặng bao nhiêu", [(4, 8)]), _BOLD, "ansi")
    assert painted.endswith(f"{_RESET}{_BOLD} bao nhiêu{_RESET}")
