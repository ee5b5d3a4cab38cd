from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from searchlib.api import open_index
from searchlib.cli import cli
from searchlib.indexer import add_documents

from .conftest import ROOT, SAMPLE, doc
from .test_search import DOCS


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    path = tmp_path / "ix"
    add_documents(DOCS, path)
    return path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_search_plain_output_marks_highlights(index_dir: Path) -> None:
    code, out, err = run("search", "bi thu tinh uy", "--index", str(index_dir))
    assert code == 0 and err == ""
    assert out.startswith("2 results, showing 1–2\n")
    assert "[Bí thư Tỉnh uỷ]" in out and "\x1b[" not in out


def test_search_unquoted_words_and_env_index(index_dir: Path) -> None:
    code, out, _ = run("search", "chuyển", "đổi", "số", env={"SEARCHLIB_INDEX": str(index_dir)})
    assert code == 0 and "Làm việc với huyện Phú Bình" in out


def test_index_option_before_the_command(index_dir: Path, tmp_path: Path) -> None:
    elsewhere = {"SEARCHLIB_INDEX": str(tmp_path / "missing")}
    code, out, _ = run("--index", str(index_dir), "stats", "--json", env=elsewhere)
    assert code == 0 and json.loads(out)["documents"] == len(DOCS)
    # The command's own --index wins over the one before it.
    code, _, err = run("--index", str(index_dir), "search", "số", "--index", str(tmp_path / "missing"))
    assert code == 1 and "missing" in err


def test_search_json_shape(index_dir: Path) -> None:
    _, out, _ = run("search", "Nguyễn Thanh Hải", "--json", "--index", str(index_dir))
    data = json.loads(out)
    assert set(data) >= {"query", "total", "hits", "facets"}
    hit = data["hits"][0]
    assert set(hit) == {
        "id",
        "title",
        "date",
        "leaders",
        "topics",
        "source",
        "author",
        "url",
        "score",
        "snippet",
        "highlights",
    }
    assert hit["id"] == "hai" and hit["date"] == "2021-06-10"  # the shape the issue fixes, no more
    assert "Nguyễn" in out  # ensure_ascii=False
    for start, end in hit["highlights"]:
        assert hit["snippet"][start:end]


def test_search_jsonl_one_object_per_hit(index_dir: Path) -> None:
    _, out, _ = run("search", "", "--jsonl", "--index", str(index_dir))
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["hai", "tam", "apart", "undated"]


def test_search_filters_sort_and_pages(index_dir: Path) -> None:
    base = ["search", "--index", str(index_dir), "--jsonl"]
    _, out, _ = run(*base, "--leader", "Nguyễn Thanh Hải", "--leader", "Nguyễn Thành Tâm")
    assert {json.loads(x)["id"] for x in out.splitlines()} == {"hai", "tam"}
    _, out, _ = run(*base, "--since", "2020", "--until", "2020-12-31")
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["tam"]
    _, out, _ = run(*base, "-n", "1", "--page", "2")
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["tam"]
    _, out, _ = run(*base, "--topic", "Xây dựng Đảng", "--sort", "date")
    assert [json.loads(x)["id"] for x in out.splitlines()] == ["hai", "tam"]


def test_no_results_is_success_with_a_line(index_dir: Path) -> None:
    code, out, err = run("search", '"không có gì cả"', "--index", str(index_dir))
    assert (code, out) == (0, "")
    assert err == "No results for '\"không có gì cả\"'.\n"


def test_did_you_mean_line(index_dir: Path) -> None:
    code, _, err = run("search", "bi thu tinh uyy", "--index", str(index_dir))
    assert code == 0 and "Did you mean: bí thư tỉnh ủy\n" in err


def test_relaxed_note(index_dir: Path) -> None:
    code, _, err = run("search", "Tâm xyzzy", "--index", str(index_dir))
    assert code == 0 and "no article matched every word" in err


def test_similar_words_note(index_dir: Path) -> None:
    code, out, err = run("search", "Phú Bìnhh", "--index", str(index_dir))
    assert code == 0 and "Làm việc với huyện" in out
    assert "Note: no article has 'Bìnhh'; also searched for 'Bình'.\n" in err
    _, out, _ = run("search", "Phú Bìnhh", "--json", "--index", str(index_dir))
    assert json.loads(out)["similar"] == {"Bìnhh": ["Bình"]}


def test_keystrokes_note(index_dir: Path) -> None:
    code, out, err = run("search", "bis thuw tinhr uyr", "--index", str(index_dir))
    assert code == 0 and "Bí thư Tỉnh ủy" in out
    assert (
        "Note: read 'bis' as 'bí', 'thuw' as 'thư', 'tinhr' as 'tỉnh', 'uyr' as 'ủy', "
        "as typed with Telex or VNI; searched for both.\n" in err
    )
    _, out, _ = run("search", "tinhr uyr", "--json", "--index", str(index_dir))
    assert json.loads(out)["keystrokes"] == {"tinhr": "tỉnh", "uyr": "ủy"}


def test_words_typed_without_spaces_note(index_dir: Path) -> None:
    code, out, err = run("search", "chuyendoi so", "--index", str(index_dir))
    assert code == 0 and "Làm việc với huyện Phú Bình" in out
    assert "Note: read 'chuyendoi' as 'chuyen doi', as words typed without spaces; searched for both.\n" in err
    assert "Did you mean: chuyển đổi số\n" in err
    _, out, _ = run("search", "Chuyendoi so", "--json", "--index", str(index_dir))
    assert json.loads(out)["joined"] == {"Chuyendoi": "Chuyen doi"}


def test_the_phrase_hint_takes_a_word_as_read(tmp_path: Path) -> None:
    docs = [doc(f"k{i}", f"Tổng kết năm {i}.", title="Tổng kết", date=dt.date(2020, 1, i + 1)) for i in range(3)]
    docs.append(doc("apart", "Kết quả tổng hợp.", title="Tin", date=dt.date(2021, 1, 1)))
    add_documents(docs, tmp_path / "ix")
    _, _, err = run("search", "tổng kêt", "--sort", "date", "--index", str(tmp_path / "ix"))
    assert '3 of them have "tổng kết" as a phrase' in err


def test_completed_tone_note(index_dir: Path) -> None:
    code, out, err = run("search", "Bí thư Tỉnh ủy Nguyễn Thanh Hải chuyển đôi sô", "--index", str(index_dir))
    assert code == 0 and "Note: read" not in err  # đổi and số end in vowels: nothing is certain
    code, out, err = run("search", "Bí thư Tỉnh ủy tông kêt", "--index", str(index_dir))
    assert "Note: read 'kêt' as 'kết', a mark left out; searched for that.\n" in err
    _, out, _ = run("search", "tông kêt", "--json", "--index", str(index_dir))
    assert json.loads(out)["completed"] == {"kêt": "kết"}


@pytest.mark.parametrize("option", ["--since", "--until"])
def test_bad_date_is_a_usage_error(index_dir: Path, option: str) -> None:
    code, _, err = run("search", "x", option, "hôm qua", "--index", str(index_dir))
    assert code == 2 and "YYYY, YYYY-MM or YYYY-MM-DD" in err


def test_missing_index_says_how_to_build_one(tmp_path: Path) -> None:
    code, out, err = run("search", "x", "--index", str(tmp_path / "nowhere"))
    assert code == 1 and out == ""
    assert err.startswith("Error: No index at ") and "searchlib index SOURCE..." in err
    assert "Traceback" not in err


def test_unreadable_index_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("gen-000009\n")
    code, _, err = run("search", "x", "--index", str(broken))
    assert code == 1 and "missing generation" in err


@pytest.mark.parametrize("query", ['"', "-", "!!!", "x" * 10_000, "OR"])
def test_malformed_queries(index_dir: Path, query: str) -> None:
    code, _, err = run("search", query, "--index", str(index_dir))
    assert code == 0 and "Traceback" not in err


@pytest.mark.parametrize("query", ['"', "-", "!!!", "OR"])
def test_a_query_without_words_says_it_lists_articles(index_dir: Path, query: str) -> None:
    code, out, err = run("search", query, "--index", str(index_dir))
    assert code == 0 and out.startswith("4 results") and "has no words to search for" in err


def test_a_query_of_exclusions_only_lists_the_rest_without_a_note(index_dir: Path) -> None:
    code, out, err = run("search", "-xyzzy", "--index", str(index_dir))
    assert code == 0 and out.startswith("4 results") and err == ""


def test_sorted_by_date_a_run_of_words_says_how_many_hold_it_as_a_phrase(index_dir: Path) -> None:
    # "apart" holds Nguyễn Thanh ... Hải scattered, and is sorted among the others by date.
    code, out, err = run("search", "Nguyễn Thanh Hải", "--sort", "date", "--index", str(index_dir))
    assert code == 0 and out.startswith("2 results")
    assert "all 2 articles with these words count" in err and '1 of them has "Nguyễn Thanh Hải" as a phrase' in err
    assert "searchlib search '\"Nguyễn Thanh Hải\"' --sort date shows only those" in err
    # The filters of the search are in the command it gives.
    _, _, err = run("search", "Nguyễn Thanh Hải", "--sort", "date", "--since", "2019", "--index", str(index_dir))
    assert "searchlib search '\"Nguyễn Thanh Hải\"' --since 2019 --sort date" in err
    for args in (
        ['"Nguyễn Thanh Hải"', "--sort", "date"],
        ["Nguyễn Thanh Hải"],
        ["Nguyễn", "OR", "Hải", "--sort", "date"],
    ):
        assert "as a phrase" not in run("search", *args, "--index", str(index_dir))[2]


def test_show(index_dir: Path) -> None:
    code, out, _ = run("show", "hai", "--index", str(index_dir))
    assert code == 0 and out.startswith("Làm việc với huyện Phú Bình\n") and "2021-06-10 (day)" in out
    code, out, _ = run("show", "hai", "--json", "--index", str(index_dir))
    assert json.loads(out)["leaders"] == ["Nguyễn Thanh Hải"]
    code, _, err = run("show", "nope", "--index", str(index_dir))
    assert code == 1 and "No article with id 'nope'" in err


def test_stats(index_dir: Path) -> None:
    code, out, _ = run("stats", "--json", "--index", str(index_dir))
    data = json.loads(out)
    assert code == 0 and data["documents"] == 4 and data["generation"] == 1 and data["dated"] == 3
    code, _, err = run("search", "", "--since", "2020", "--index", str(index_dir))
    assert code == 0 and "Note: 1 more matching article has no known date" in err


def test_analyze() -> None:
    code, out, _ = run("analyze", "Tỉnh uỷ họp")
    assert code == 0
    assert out.splitlines()[1:4] == [
        "   0  0-4         tỉnh           tinh",
        "   1  5-7         ủy             uy",
        "   2  8-11        họp            hop",
    ]
    code, out, _ = run("analyze", "Hội nghị tỉnh", "--json")
    assert json.loads(out)["words"] == ["hoi_nghi"]


def test_index_command_reports_to_stderr_and_lists_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "j1", "title": "Tiêu đề", "body": "Nội dung về y tế"}\nnot json\n', encoding="utf-8")
    code, out, err = run(
        "index", str(bad), str(tmp_path / "missing"), "--index", str(tmp_path / "ix"), "--max-failed", "0.9"
    )
    assert code == 5 and out == ""
    assert "Failed: " in err and "no such file or folder" in err and "1 added" in err


def test_a_bad_record_is_listed_with_its_line_once(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "j1", "body": "Nội dung"}\n{"id": "j2", "date": "10/06/2021"}\n', encoding="utf-8")
    code, _, err = run("extract", str(bad))
    assert code == 1
    assert f"Failed: {bad}:2: field 'date': '10/06/2021' is not an ISO date" in err
    assert err.count(f"{bad}:2") == 1


def test_index_folder_with_undecodable_files_indexes_the_good_ones_and_exits_5(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    good = len(list(articles.glob("*.txt")))
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe\x00")
    (articles / "mojibake.txt").write_bytes("Hội nghị Tỉnh ủy".encode()[:-1] + b"\xc3\x28" * 40)
    ix = tmp_path / "ix"
    code, out, err = run("index", str(articles), "--index", str(ix), "--json")
    assert code == 5
    summary = json.loads(out)
    assert summary["added"] == good and summary["failed"] == 2
    failed = [line for line in err.splitlines() if line.startswith("Failed: ")]
    assert sorted(line.split(": ")[1].rsplit("/", 1)[-1] for line in failed) == ["binary.txt", "mojibake.txt"]
    assert all(len(line.split(": ", 2)[2]) > 10 for line in failed)  # each with its reason
    code, out, _ = run("stats", "--index", str(ix), "--json")
    assert code == 0 and json.loads(out)["documents"] == good


def test_sources_that_are_all_missing_are_an_error_not_a_night_of_failures(tmp_path: Path) -> None:
    code, _, err = run("index", str(tmp_path / "missing"), "--index", str(tmp_path / "ix"))
    assert code == 1 and f"No such file or folder: {tmp_path / 'missing'}" in err
    code, _, err = run("update", str(tmp_path / "missing"), "--index", str(tmp_path / "ix"))
    assert code == 1 and "No such file or folder" in err


def test_a_refused_index_names_the_files_that_failed(tmp_path: Path) -> None:
    articles = tmp_path / "mix"
    articles.mkdir()
    (articles / "tot.txt").write_text("Tin tốt\n\nHuyện khánh thành cầu mới.\n", encoding="utf-8")
    (articles / "latin1.txt").write_bytes("Le président a visité l'école à Hanoï. ".encode("latin-1") * 20)
    code, out, err = run("index", str(articles), "--index", str(tmp_path / "ix"), "--json")
    assert code == 4
    assert f"Failed: {articles / 'latin1.txt'}: " in err and "--max-failed" in err
    line = json.loads(out)  # --json still prints its one line
    assert line["status"] == "error" and [f["source"] for f in line["failures"]] == [str(articles / "latin1.txt")]


def test_partial_success_is_not_reported_as_ok(tmp_path: Path) -> None:
    articles = tmp_path / "mix"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    (articles / "binary.txt").write_bytes(b"\x00\x01\x02 not text \xff\xfe\x00")
    code, out, _ = run("index", str(articles), "--index", str(tmp_path / "ix"), "--json")
    assert code == 5 and json.loads(out)["status"] == "partial"


def test_rebuild_update_and_rollback_commands(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLE, articles, ignore=shutil.ignore_patterns("*.jsonl"))
    first, second, *_ = sorted(articles.glob("*.txt"))
    good = len(list(articles.glob("*.txt")))
    ix = str(tmp_path / "ix")
    code, out, _ = run("rebuild", str(articles), "--index", ix, "--json")
    assert code == 0 and json.loads(out) | {"added": good, "generation": 1} == json.loads(out)

    (articles / "moi.txt").write_text(
        "Huyện Bắc Thủy khánh thành cầu Khe Lim\n\nCầu Khe Lim thông xe.\n", encoding="utf-8"
    )
    first.write_text(first.read_text(encoding="utf-8") + "\nĐoạn bổ sung về cầu Khe Lim.\n", encoding="utf-8")
    second.unlink()
    code, out, _ = run("update", str(articles), "--index", ix, "--json")
    summary = json.loads(out)
    assert code == 0 and (summary["added"], summary["updated"], summary["deleted"]) == (1, 1, 0)
    assert summary["unchanged"] == good - 2 and summary["documents"] == good + 1
    code, out, err = run("update", str(articles), "--index", ix, "--prune")
    assert code == 0 and out == "" and "1 deleted" in err
    _, out, _ = run("stats", "--index", ix, "--json")
    assert json.loads(out)["documents"] == good

    code, out, err = run("rollback", "--index", ix)
    assert code == 0 and out == "" and "now serves generation 2" in err
    _, out, _ = run("stats", "--index", ix, "--json")
    assert json.loads(out)["documents"] == good + 1
    _, out, _ = run("search", "cầu Khe Lim", "--index", ix, "--json")
    assert json.loads(out)["total"] == 2


def test_help_documents_every_command_and_exit_code() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "Exit codes:" in out
    for name, command in cli.commands.items():  # type: ignore[attr-defined]
        assert command.help, f"{name} has no help"
        code, out, _ = run(name, "--help")
        assert code == 0 and "Exit codes:" in out, name


def test_help_does_not_import_whoosh_or_the_segmenter() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from searchlib.cli import cli\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        "print(sorted(m for m in ('whoosh', 'pyvi', 'pycrfsuite', 'sklearn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_python_dash_m(index_dir: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "searchlib", "search", "tinh uy", "--index", str(index_dir), "--jsonl"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert len(out.splitlines()) == 2


def test_demo_indexes_the_bundled_sample(tmp_path: Path) -> None:
    assert SAMPLE.is_dir()
    code, out, err = run("demo", "--index", str(tmp_path / "demo"))
    assert code == 0, err
    assert "results, showing" in out and "[" in out
    code, _, err = run("demo", "--index", str(tmp_path / "demo"))
    assert code == 0, err  # again: the sample replaces itself


def test_demo_never_replaces_the_index_people_search(
    index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("demo", env={"SEARCHLIB_INDEX": str(index_dir)})
    assert code == 0, err
    assert (tmp_path / "index").is_dir()  # ./index, not $SEARCHLIB_INDEX
    code, _, err = run("demo", "--index", str(index_dir))
    assert code == 1 and "holds an index of other articles" in err
    assert open_index(index_dir).stats().documents == len(DOCS)


def test_extract_shows_fields_and_reasons() -> None:
    code, out, _ = run("extract", str(SAMPLE / "02_cong_bo_quyet_dinh_can_bo.txt"))
    assert code == 0
    assert "date     2021-09-17 (day)\n         ← line 7: 'Cập nhật ngày: 17/09/2021 - 16:45'" in out


def test_extract_json_lines_and_failures(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\xff\x00\xfe" * 50)
    code, out, err = run("extract", str(SAMPLE / "extra.jsonl"), str(bad), "--json")
    assert code == 1 and f"Failed: {bad}" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["extra-001", "extra-002", "extra-003"]


def test_json_and_jsonl_together_is_a_usage_error(index_dir: Path) -> None:
    code, out, err = run("search", "tỉnh", "--json", "--jsonl")
    assert code == 2 and out == "" and "choose one" in err


def test_an_empty_no_color_does_not_turn_colour_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from searchlib import cli

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("NO_COLOR", "")
    assert cli._style() == "ansi"
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._style() == "plain"


def test_output_piped_into_head_stops_quietly(tmp_path: Path) -> None:
    article = next(SAMPLE.glob("*.txt")).read_bytes()
    for n in range(150):  # far more than a pipe buffer of output
        (tmp_path / f"bai_{n:03d}.txt").write_bytes(article)
    done = subprocess.run(
        f"{sys.executable} -m searchlib extract {tmp_path} --json | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.stderr == "" and done.stdout.strip() == "141"  # as cat or grep: SIGPIPE, not exit 1


def test_a_date_is_shown_as_precisely_as_the_source_gave_it() -> None:
    import datetime as dt

    from searchlib.render import shown_date

    day = dt.date(2023, 6, 1)
    assert [shown_date(day, p) for p in ("day", "month", "year", None)] == [
        "2023-06-01",
        "2023-06",
        "2023",
        "2023-06-01",
    ]


def test_a_mistyped_option_is_a_usage_error_not_words(index_dir: Path) -> None:
    code, out, err = run("search", "kinh tế", "--limt", "1", "--index", str(index_dir))
    assert code == 2 and out == "" and "--limt" in err and "--limit" in err
    code, _, _ = run("search", "hội nghị", "-covid", "--index", str(index_dir))  # an exclusion still is one
    assert code == 0


def test_exclusions_that_begin_like_a_short_option_are_words(index_dir: Path) -> None:
    for word in ("-hội", "-nghị", "-h5", "-nhà"):
        code, out, err = run("search", "chuyển", "đổi", "số", word, "--json", "--index", str(index_dir))
        assert code == 0 and json.loads(out)["query"] == f"chuyển đổi số {word}", err
    _, out, _ = run("search", "bí thư", "-hải", "--jsonl", "--index", str(index_dir))
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["tam"]  # it excluded
    code, out, _ = run("search", "số", "-n1", "--jsonl", "--index", str(index_dir))
    assert code == 0 and len(out.splitlines()) == 1  # -n with a number is still the limit
    code, out, _ = run("search", "số", "-n", "1", "--jsonl", "--index", str(index_dir))
    assert code == 0 and len(out.splitlines()) == 1
    code, out, _ = run("search", "-h")
    assert code == 0 and "Usage:" in out


def test_a_filter_that_names_nothing_says_what_it_may_have_meant(index_dir: Path) -> None:
    code, _, err = run("search", "bí thư", "--leader", "Nguyễn Thanh Hả", "--index", str(index_dir))
    assert code == 0 and "no article has the leader 'Nguyễn Thanh Hả'; did you mean 'Nguyễn Thanh Hải'" in err
    code, _, err = run("search", "bí thư", "--topic", "Thể thao", "--index", str(index_dir))
    assert "no article has the topic 'Thể thao'; the topics are: " in err and "Xây dựng Đảng" in err
    _, _, err = run("search", "xyzzy", "--leader", "Nguyễn Thanh Hải", "--index", str(index_dir))
    assert "no article has the leader" not in err  # the leader is there; the words are not


def test_every_value_of_a_facet(index_dir: Path) -> None:
    from searchlib import open_index

    index = open_index(index_dir)
    assert index.values("leaders") == {"Nguyễn Thanh Hải": 1, "Nguyễn Thành Tâm": 1}
    assert list(index.values("years")) == ["2021", "2020", "2019"]


def test_copies_left_out_with_a_note_and_shown_on_request(tmp_path: Path) -> None:
    path = tmp_path / "index"
    body = "Hội nghị Ban Chấp hành Đảng bộ tỉnh bàn về chuyển đổi số."
    add_documents([doc("a", body, title="Hội nghị"), doc("b", body, title="Hội nghị"), doc("c", body + " Thêm.")], path)
    _, out, err = run("search", "chuyển đổi số", "--index", str(path), "--jsonl")
    assert len(out.splitlines()) == 2
    assert "left out 1 copy of articles shown above" in err and "--duplicates" in err
    _, out, err = run("search", "chuyển đổi số", "--index", str(path), "--jsonl", "--duplicates")
    assert len(out.splitlines()) == 3 and err == ""
    _, out, _ = run("search", "chuyển đổi số", "--index", str(path), "--json")
    assert (json.loads(out)["duplicates"], json.loads(out)["total"]) == (1, 2)
    _, out, err = run("search", "chuyển đổi số", "--index", str(path), "-n", "1", "--page", "3")
    assert out == "" and "No hits on this page; there are 2 in all." in err
    _, out, _ = run("stats", "--index", str(path))
    assert "copies      1 " in out


def test_an_articles_folder_given_as_the_index_says_so(tmp_path: Path) -> None:
    shutil.copy(SAMPLE / "01_hoi_nghi_bch_tong_ket_nam.txt", tmp_path)
    code, _, err = run("search", "hội nghị", "--index", str(tmp_path))
    assert code == 1 and f"{tmp_path} holds articles, not an index" in err and f"--index {tmp_path}-index" in err


def test_the_current_folder_of_articles_given_as_the_index_gets_a_real_folder_to_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE / "01_hoi_nghi_bch_tong_ket_nam.txt", tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = run("search", "hội nghị", "--index", ".")
    assert code == 1 and f"--index {tmp_path.resolve()}-index" in err


def test_a_reversed_date_range_is_a_usage_error_as_a_bad_date_is(index_dir: Path) -> None:
    code, out, err = run("search", "bí thư", "--since", "2021", "--until", "2020", "--index", str(index_dir))
    assert code == 2 and out == "" and "--since 2021 is after --until 2020" in err and "Swap them" in err
    assert run("search", "bí thư", "--since", "2021-06", "--until", "2021-06-01", "--index", str(index_dir))[0] == 0


def test_a_full_disk_under_the_output_is_an_error_not_a_traceback(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    class Full(io.StringIO):
        failed = False

        def flush(self) -> None:
            if not Full.failed:  # once: the check's flush, not the runner's at the end
                Full.failed = True
                raise OSError(errno.ENOSPC, "No space left on device")

    def full(*args: object, **kwargs: object) -> None:
        if not kwargs.get("err"):
            sys.stdout = Full()  # what is buffered cannot be flushed either
            raise OSError(errno.ENOSPC, "No space left on device")
        print(*args[:1], file=sys.stderr)

    monkeypatch.setattr(click, "echo", full)
    result = CliRunner().invoke(cli, ["search", "bí thư", "--index", str(index_dir)])
    assert result.exit_code == 1 and not isinstance(result.exception, OSError)
    assert "could not write the output: No space left on device" in result.stderr


def test_a_full_disk_elsewhere_is_not_taken_for_the_output(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import searchlib.api

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(searchlib.api.Index, "search", failing)
    result = CliRunner().invoke(cli, ["search", "bí thư", "--index", str(index_dir)])
    assert isinstance(result.exception, OSError)  # not "could not write the output"


def test_facet_lines_show_topics_alone(tmp_path: Path) -> None:
    add_documents([doc("t1", "Bản tin nông thôn.", title="Nông thôn", topics=["Y tế"])], tmp_path / "ix")
    code, out, _ = run("search", "nông thôn", "--index", str(tmp_path / "ix"))
    assert code == 0 and "Topics: Y tế (1)" in out
