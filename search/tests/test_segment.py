"""Segmentation: user dictionary, normalisation, mixed Chinese/ASCII runs, quiet and cached loading."""

from __future__ import annotations

import subprocess
import sys

from search import segment
from search.segment import (
    USER_DICT,
    add_words,
    get_tokenizer,
    segment_for_index,
    segment_for_query,
    tokens_for_index,
    tokens_for_query,
)


def test_user_dictionary_has_the_police_and_government_terms():
    lines = [line.split() for line in USER_DICT.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 60
    assert all(len(parts) == 3 and parts[1].isdigit() for parts in lines)
    words = {parts[0] for parts in lines}
    for term in ("出入境", "户籍", "户口迁移", "通缉令", "网上通缉", "依申请公开", "政府信息公开", "港澳通行证"):
        assert term in words


def test_dictionary_terms_are_kept_whole_with_their_sub_words():
    tokens = tokens_for_index("网上通缉逃犯信息，办理户口迁移和港澳通行证；查看信息公开目录、局长信箱")
    for word in ("网上通缉", "通缉", "逃犯", "户口迁移", "港澳通行证", "信息公开目录", "局长信箱"):
        assert word in tokens


def test_tokens_are_lower_case_without_punctuation_or_whitespace():
    assert tokens_for_query("  Hello， World！ “通缉” ") == ["hello", "world", "通缉"]
    assert tokens_for_query('"*" OR NEAR( ) -- ;') == ["or", "near"]
    assert tokens_for_query("") == tokens_for_query("   ") == tokens_for_query(None) == []


def test_mixed_runs_give_the_same_tokens_in_documents_and_queries():
    assert set(tokens_for_query("2026年 护照")) <= set(tokens_for_index("2026年护照办理须知"))
    assert set(tokens_for_query("B级通缉令")) <= set(tokens_for_index("公安部发布B级通缉令"))


def test_other_scripts_are_kept_as_whole_words():
    assert tokens_for_query("привет мир") == ["привет", "мир"]


def test_query_tokens_are_unique_and_index_tokens_keep_repeats():
    assert tokens_for_query("护照 护照") == ["护照"]
    assert tokens_for_index("护照 护照").count("护照") == 2


def test_segment_functions_join_tokens_with_spaces():
    assert segment_for_index("网上通缉") == "网上 网上通缉 通缉 网 上 通 缉"
    assert segment_for_query("B级") == "b 级"


def test_add_words_extends_the_dictionary_of_this_process():
    assert "旬阳坝镇" not in tokens_for_index("旬阳坝镇派出所")
    add_words(["旬阳坝镇", ("汉阴县城关派出所", 2000, "nt")])
    assert "旬阳坝镇" in tokens_for_index("旬阳坝镇派出所")
    assert "汉阴县城关派出所" in tokens_for_index("汉阴县城关派出所")


def test_the_tokenizer_is_dedicated_and_loaded_once():
    import jieba

    assert get_tokenizer() is get_tokenizer() is segment._tokenizer
    assert get_tokenizer() is not jieba.dt


def test_loading_is_quiet():
    code = "from search.segment import tokens_for_index; print(tokens_for_index('网上通缉'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stderr == ""
    assert "网上通缉" in done.stdout


SAMPLE = (
    "安康市公安局关于2026年护照办理须知的公告：即日起，出入境管理大队受理往来港澳通行证、护照签注；"
    "户口迁移、居住证办理请到户籍窗口。公安部发布B级通缉令，网上通缉逃犯信息见信息公开目录。"
)


def test_every_substring_query_is_found_in_the_index_of_its_document():
    """Whatever words jieba picks in the document's context, a query cut from the document is found in it.

    ASCII runs are words: a query cutting one ('202' of '2026') is not expected to match.
    """
    index = set(tokens_for_index(SAMPLE))
    ascii_inside = {
        i for i in range(1, len(SAMPLE)) if SAMPLE[i - 1 : i + 1].isascii() and SAMPLE[i - 1 : i + 1].isalnum()
    }
    for start in range(len(SAMPLE)):
        for length in range(1, 9):
            if start in ascii_inside or start + length in ascii_inside:
                continue
            query = SAMPLE[start : start + length]
            missing = set(tokens_for_query(query)) - index
            assert not missing, (query, missing)
