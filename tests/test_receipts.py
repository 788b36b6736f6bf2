"""Receipts: grouped for writing down, every letter equally likely, forgiving when typed back."""

from collections import Counter

from intake.receipts import ALPHABET, GROUP_LENGTH, GROUPS, new_receipt, normalise


def test_a_receipt_is_five_groups_of_four_letters_without_look_alikes():
    for _ in range(200):
        groups = new_receipt().split("-")
        assert len(groups) == GROUPS and all(len(group) == GROUP_LENGTH for group in groups)
        assert set("".join(groups)) <= set(ALPHABET)
    assert not set("01ILOUV") & set(ALPHABET)


def test_every_letter_is_equally_likely():
    """Chi-square over 100,000 letters. Folding the 24 spare byte values back into the
    alphabet (byte % 29 without dropping them) would make 5 letters about a tenth rarer:
    a statistic near 190. A fair draw stays under 75 but about once in a million runs."""
    letters = Counter("".join(new_receipt().replace("-", "") for _ in range(5000)))
    expected = 5000 * GROUPS * GROUP_LENGTH / len(ALPHABET)
    statistic = sum((letters[letter] - expected) ** 2 / expected for letter in ALPHABET)
    assert statistic < 75, statistic


def test_receipts_do_not_repeat():
    assert len({new_receipt() for _ in range(2000)}) == 2000


def test_a_receipt_typed_back_in_lower_case_with_spaces_is_understood():
    receipt = new_receipt()
    assert normalise(receipt.lower().replace("-", " ")) == receipt.replace("-", "")
    assert normalise(f"  {receipt}\n") == receipt.replace("-", "")
    assert normalise(receipt[:-1]) is None  # a letter short
    assert normalise(receipt[:-1] + "O") is None  # a look-alike that is never issued
