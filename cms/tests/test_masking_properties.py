"""Properties of `mask_text` over generated texts (hypothesis): it never raises, the masked text never shows what
was masked, and no ID number, mobile, email or bank card can be found in it any more."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric

from cms.masking import mask_text
from cms.privacy import find_private_data

DIGIT_KINDS = {"id_number", "mobile", "landline", "bank_card"}
LEFT_KINDS = {"id_number", "mobile", "email", "bank_card"}
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def digits(count: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from("0123456789"), min_size=count, max_size=count)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """Valid 18-digit (sometimes lower-case x) and 15-digit resident ID numbers."""
    born = draw(st.dates(datetime.date(1930, 1, 1), datetime.date(1999, 12, 31)))
    place = draw(st.sampled_from(["610902", "610921", "110105", "440305"]))
    if draw(st.integers(0, 4)) == 0:
        return place + born.strftime("%y%m%d") + draw(digits(3))
    first17 = place + born.strftime("%Y%m%d") + draw(digits(3))
    number = first17 + ric.calc_check_digit(first17 + "0")
    return number.lower() if draw(st.booleans()) else number


@st.composite
def cards(draw: st.DrawFn) -> str:
    """Luhn-valid 16-19 digit cards, 16-digit ones sometimes in groups of 4."""
    length = draw(st.integers(16, 19))
    body = draw(st.sampled_from(["6228", "6222", "6217", "4367"])) + draw(digits(length - 5))
    number = body + luhn.calc_check_digit(body)
    if length == 16 and draw(st.booleans()):
        separator = draw(st.sampled_from([" ", "-"]))
        number = separator.join(number[i : i + 4] for i in range(0, 16, 4))
    return number


mobiles = st.builds(
    lambda prefix, head, a, b, separator: prefix + head + separator + a + separator + b,
    st.sampled_from(["", "+86 ", "+86", "0086-", "86"]),
    st.sampled_from(["138", "159", "186", "199", "177"]),
    digits(4),
    digits(4),
    st.sampled_from(["", " ", "-"]),
)
emails = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.from_regex(r"\A[a-z0-9][a-z0-9._]{0,10}\Z"),
    st.sampled_from(["163.com", "qq.com", "126.com", "gov.cn", "a-b.org.cn"]),
)
landlines = st.builds(
    lambda area, first, rest: f"{area}-{first}{rest}",
    st.sampled_from(["0915", "029", "010"]),
    st.sampled_from("23456789"),
    st.one_of(digits(6), digits(7)),
)
plates = st.builds(
    lambda province, letter, separator, rest: province + letter + separator + rest,
    st.sampled_from("陕京粤川"),
    st.sampled_from("ABGDF"),
    st.sampled_from(["", "·", " "]),
    digits(5),
)
personal = st.one_of(id_numbers(), mobiles, cards(), emails, landlines, plates)
# Filler that touches the data: digits, Latin letters, + - @ . and the characters of names and addresses.
touching = st.text(
    st.sampled_from("0123456789 -+@.·_aXx陕G王李欧阳娜张警官民路号小区村组市县镇患有癌症，。：/\n"), max_size=6
)
# Filler that cannot join the data into longer runs: Chinese text and punctuation only.
apart = st.text(
    st.sampled_from("王李欧阳娜张警官民路号小区村组市县镇患有癌症的了我在，。：/\n "), min_size=1, max_size=6
)


@SETTINGS
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text):
    result = mask_text(text, add=[text[:3]], keep=[text[3:6]])
    assert "".join(piece for piece, _finding in result.segments()) == text


@SETTINGS
@given(st.lists(st.one_of(personal, touching), max_size=8).map("".join))
def test_no_id_mobile_email_or_card_is_left(text):
    result = mask_text(text)
    left = [f for f in find_private_data(result.text) if f.kind in LEFT_KINDS]
    assert left == [], (text, result.text)


@SETTINGS
@given(st.lists(st.one_of(personal, apart), min_size=1, max_size=8).map("，".join))
def test_masked_digits_never_show(text):
    result = mask_text(text)
    for finding in result.masks:
        if finding.kind in DIGIT_KINDS and len(finding.text) >= 4:
            assert finding.text not in result.text, (text, result.text, finding)
    assert "".join(piece for piece, _finding in result.segments()) == text


@SETTINGS
@given(st.lists(personal, min_size=1, max_size=5), st.lists(apart, min_size=6, max_size=6))
def test_every_planted_value_is_masked(values, fillers):
    text = "".join(filler + value for filler, value in zip(fillers, values, strict=False)) + fillers[-1]
    result = mask_text(text)
    for value in values:
        assert value not in result.text, (text, result.text)
