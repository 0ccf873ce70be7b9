"""Meeting codes: the format, the alphabet, the entropy, and reading back what people type."""

import math
import re

import pytest

from aapoon.meetings.codes import ALPHABET, meeting_code_generate, meeting_code_normalize

CODE_SHAPE = re.compile(r"^[a-z1-9]{4}-[a-z1-9]{4}-[a-z1-9]{4}$")


def test_the_alphabet_has_32_symbols_without_look_alikes():
    assert ALPHABET == "abcdefghjkmnpqrstuvwxyz123456789"
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ilo0") & set(ALPHABET)


def test_a_code_is_three_groups_of_four_symbols_worth_60_bits():
    code = meeting_code_generate()
    assert CODE_SHAPE.match(code), code
    symbols = code.replace("-", "")
    assert len(symbols) == 12
    assert set(symbols) <= set(ALPHABET)
    assert len(symbols) * math.log2(len(ALPHABET)) == 60


def test_generated_codes_are_unique_and_use_the_whole_alphabet():
    codes = [meeting_code_generate() for _ in range(5000)]
    assert len(set(codes)) == len(codes)
    assert all(CODE_SHAPE.match(code) for code in codes)
    assert set("".join(codes).replace("-", "")) == set(ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn", "abcd-efgh-jkmn"),
        ("ABCD-EFGH-JKMN", "abcd-efgh-jkmn"),
        ("abcdefghjkmn", "abcd-efgh-jkmn"),
        ("  abcd efgh jkmn \n", "abcd-efgh-jkmn"),
        ("Ab-cdEf-ghJk-mn", "abcd-efgh-jkmn"),
        ("2345-6789-pqrs", "2345-6789-pqrs"),
    ],
)
def test_normalize_accepts_case_spaces_and_missing_dashes(typed, expected):
    assert meeting_code_normalize(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "abcd-efgh-jkm",  # 11 symbols
        "abcd-efgh-jkmnp",  # 13 symbols
        "abcd-efgh-jkm0",  # zero is not in the alphabet
        "abcd-efgh-jkmo",  # nor o
        "abci-efgh-jkmn",  # nor i
        "abcl-efgh-jkmn",  # nor l
        "abcd_efgh_jkmn",
        "abcd-efgh-jkm!",
        "abcd/efgh/jkmn",
        "https://x.example/m/abcd-efgh-jkmn",
        "abcd-efgh-jkmn; drop table",
    ],
)
def test_normalize_refuses_what_cannot_be_a_code(typed):
    assert meeting_code_normalize(typed) is None


def test_every_generated_code_normalizes_to_itself():
    for _ in range(200):
        code = meeting_code_generate()
        assert meeting_code_normalize(code) == code
        assert meeting_code_normalize(code.upper().replace("-", "")) == code
