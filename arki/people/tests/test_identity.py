"""Personal identity codes: the Finnish code and the Danish CPR number, as examples and as
properties (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from arki.people import identity

CENTURY_SIGNS = {1800: "+", 1900: "-", 2000: "A"}


def finnish_code(born: date, number: int, sign: str | None = None) -> str:
    digits = f"{born:%d%m%y}{number:03d}"
    sign = sign or CENTURY_SIGNS[born.year // 100 * 100]
    return f"{born:%d%m%y}{sign}{number:03d}{identity.finnish_check_character(digits)}"


births = st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31))
numbers = st.integers(min_value=2, max_value=999)


def test_known_finnish_codes():
    assert identity.finnish_code_problem("131052-308T") is None
    assert identity.finnish_birth_date("131052-308T") == date(1952, 10, 13)
    assert identity.finnish_code_problem("010594Y9032") is None  # new century sign
    assert identity.finnish_birth_date("020304A920P") == date(2004, 3, 2)


def test_bad_finnish_codes_are_refused():
    for code in ("123", "131052-308U", "131052?308T", "311152-308T", "131052-001Y", ""):
        assert identity.finnish_code_problem(code) is not None, code


@given(births, numbers)
def test_every_well_made_finnish_code_is_accepted_and_states_its_birth_date(born, number):
    code = finnish_code(born, number)
    assert identity.finnish_code_problem(code) is None
    assert identity.finnish_birth_date(code) == born
    assert identity.identity_code_problem(code, country="FI", birth_date=born) is None


@given(births, numbers, st.integers(min_value=1, max_value=30))
def test_a_wrong_check_character_is_always_refused(born, number, shift):
    code = finnish_code(born, number)
    chars = identity.FINNISH_CHECK_CHARACTERS
    wrong = chars[(chars.index(code[-1]) + shift) % 31]
    assert identity.finnish_code_problem(code[:-1] + wrong) is not None


@given(births, numbers, births)
def test_a_code_that_disagrees_with_the_birth_date_is_refused(born, number, other):
    code = finnish_code(born, number)
    problem = identity.identity_code_problem(code, country="FI", birth_date=other)
    assert (problem is None) == (other == born)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), numbers)
def test_every_1900s_century_sign_gives_the_same_date(born, number):
    for sign in "-YXWVU":
        assert identity.finnish_birth_date(finnish_code(born, number, sign)) == born


def test_known_danish_numbers():
    assert identity.danish_code_problem("010203-1234") is None
    assert identity.danish_birth_date("010203-1234") == date(1903, 2, 1)
    assert identity.danish_birth_date("010203-4234") == date(2003, 2, 1)
    for code in ("0102031234", "310203-1234", "01020-31234", "ab0203-1234", "123"):
        assert identity.danish_code_problem(code) is not None, code


@given(
    st.dates(min_value=date(1858, 1, 1), max_value=date(2036, 12, 31)),
    st.integers(min_value=0, max_value=9999),
)
def test_a_danish_number_states_a_real_date_in_its_century(born, serial):
    code = f"{born:%d%m%y}-{serial:04d}"
    stated = identity.danish_birth_date(code)
    assert stated is not None
    assert (stated.day, stated.month, stated.year % 100) == (born.day, born.month, born.year % 100)
    expected_century = identity.danish_century(born.year % 100, serial // 1000)
    assert stated.year == expected_century + born.year % 100


@given(st.text(max_size=14))
def test_any_text_gets_an_answer_never_an_error(text):
    for country in ("FI", "DK"):
        identity.identity_code_problem(text, country=country, birth_date=date(2020, 1, 1))
