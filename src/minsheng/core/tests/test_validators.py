import pytest
from django.core.exceptions import ValidationError

from minsheng.core.validators import (
    mask_phone,
    mask_resident_id,
    resident_id_checksum_ok,
    validate_phone,
    validate_resident_id,
)


def test_it_accepts_a_resident_id_with_a_correct_checksum() -> None:
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"
    assert resident_id_checksum_ok("110105194912310038")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310039", "resident_id_checksum"),
        ("11010519491231002", "resident_id_format"),
        ("1101051949123100AB", "resident_id_format"),
        ("110105194902300028", "resident_id_birthdate"),
    ],
)
def test_it_refuses_a_wrong_resident_id_with_the_precise_reason(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_resident_id(value)
    assert exc.value.code == code


@pytest.mark.parametrize(
    "value", ["13800138000", "+86 138 0013 8000", "0731-88888888", "010-12345678-123", "073188888888"]
)
def test_it_accepts_mobile_and_landline_numbers(value: str) -> None:
    assert validate_phone(value)


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "88888888", "phone", "0731-123"])
def test_it_refuses_a_malformed_phone_number(value: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_phone(value)
    assert exc.value.code == "phone_format"


def test_masks_keep_only_what_identifies_the_region_and_the_last_digits() -> None:
    assert mask_resident_id("110105194912310038") == "110105********0038"
    assert mask_phone("13800138000") == "138****8000"
