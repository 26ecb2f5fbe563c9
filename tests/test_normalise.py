"""Decoding, normalising and front matter. All names and texts are fictional."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from codeer.errors import ImportFileError
from codeer.ingest.normalise import decode, normalise, split_front_matter

DUTCH = "De coördinator zei: “één gesprek per week” – dat is te weinig.\nCafé’s én ideeën.\n"


# --- decode -----------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_decode_unicode_encodings(codec: str) -> None:
    data = DUTCH.encode(codec)
    if codec == "utf-16-le":
        data = b"\xff\xfe" + data
    elif codec == "utf-16-be":
        data = b"\xfe\xff" + data
    assert normalise(decode(data, "a.txt")) == DUTCH


def test_decode_utf32_with_bom() -> None:
    assert normalise(decode(DUTCH.encode("utf-32"), "a.txt")) == DUTCH


def test_decode_cp1252_dutch() -> None:
    data = DUTCH.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, "a.txt") == DUTCH


def test_decode_cp1252_specific_characters() -> None:
    assert decode("coördinator één ’".encode("cp1252"), "a.txt") == "coördinator één ’"


def test_decode_ascii_is_utf8() -> None:
    assert decode(b"I: Goedemorgen.\n", "a.txt") == "I: Goedemorgen.\n"


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf  \n", "\n".encode("utf-16")]
)
def test_decode_empty(data: bytes) -> None:
    with pytest.raises(ImportFileError) as info:
        decode(data, "leeg.txt")
    assert "empty" in info.value.message
    assert info.value.where == "leeg.txt"
    assert info.value.hint


def test_decode_binary_with_nul_bytes() -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(ImportFileError) as info:
        decode(data, "foto.txt")
    assert "binary" in info.value.message
    assert info.value.where == "foto.txt"


def test_decode_binary_by_control_characters() -> None:
    data = b"abc\x01\x02\x03\x04\x05\x06def\x07\x08\x0e\x0f" * 10
    with pytest.raises(ImportFileError, match="binary"):
        decode(data, "x.txt")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_decode_utf16_without_bom_is_explained(codec: str) -> None:
    with pytest.raises(ImportFileError, match="UTF-16 text without a byte order mark"):
        decode("I: Hallo, coördinator.\n".encode(codec), "x.txt")


def test_decode_nul_in_utf16_text_is_binary() -> None:
    with pytest.raises(ImportFileError, match="binary"):
        decode("tekst\x00\x00meer".encode("utf-16"), "x.txt")


def test_decode_few_controls_are_kept() -> None:
    text = "Eerste pagina\fTweede pagina met een lange zin erin.\n"
    assert decode(text.encode(), "a.txt") == text


def test_decode_mixed_encodings_names_line() -> None:
    data = "Eerste regel met één.\nTweede regel.\n".encode() + "Derde: coördinator\n".encode(
        "cp1252"
    )
    with pytest.raises(ImportFileError) as info:
        decode(data, "gemengd.txt")
    assert "line 3" in info.value.message
    assert "UTF-8" in info.value.hint


def test_decode_undefined_cp1252_byte() -> None:
    with pytest.raises(ImportFileError) as info:
        decode(b"Regel een\nRegel \x81twee\n", "x.txt")
    assert "line 2" in info.value.message
    assert "0x81" in info.value.message


def test_decode_bad_utf16() -> None:
    # A BOM followed by an odd number of bytes cannot be UTF-16.
    with pytest.raises(ImportFileError, match="UTF-16"):
        decode(b"\xff\xfea\x00b", "x.txt")


def test_decode_bad_utf8_after_bom() -> None:
    with pytest.raises(ImportFileError, match="UTF-8"):
        decode(b"\xef\xbb\xbfco\xf6rdinator", "x.txt")


@given(st.text(min_size=1).filter(lambda t: t.strip() != ""))
def test_decode_utf8_roundtrip(text: str) -> None:
    try:
        assert decode(text.encode("utf-8"), "h.txt") == text
    except ImportFileError as exc:
        # Text that is mostly control characters or holds NUL is binary by our rule.
        assert "binary" in exc.message or "empty" in exc.message


DUTCH_CP1252 = "abcdeijkmnoprstuvwzABDEIJKMRSZ .,:;!?'\"\n-0123456789éëèêïíóöôüúàáçñ’‘“”–—…€ÉËÏÖÜ"


@given(st.text(alphabet=DUTCH_CP1252, min_size=1))
def test_decode_cp1252_roundtrip(text: str) -> None:
    data = text.encode("cp1252")
    # Pure cp1252 that is also valid UTF-8 (e.g. only "É’") is read as UTF-8, by design.
    assume(text.strip() and not _is_utf8(data))
    assert decode(data, "h.txt") == text


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_decode_cp1252_with_accidental_utf8_pair() -> None:
    # "É’" in cp1252 is the valid UTF-8 sequence for U+0252; still read as cp1252.
    assert decode("CAFÉ’S en één".encode("cp1252"), "a.txt") == "CAFÉ’S en één"


# --- normalise --------------------------------------------------------------------------


def test_normalise_crlf_and_lone_cr() -> None:
    assert normalise("a\r\nb\rc\n\r\nd") == "a\nb\nc\n\nd"


def test_normalise_nfd_to_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "coördinator één café")
    assert nfd != "coördinator één café"
    assert normalise(nfd) == "coördinator één café"


def test_normalise_removes_leading_bom_only() -> None:
    assert normalise("\ufeff\ufeffhallo\ufeff") == "hallo\ufeff"


def test_normalise_keeps_everything_else() -> None:
    text = "  I: hallo  \n\n\tR: ja   \n\n\n"
    assert normalise(text) == text


@given(st.text())
def test_normalise_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once
    assert not once.startswith("\ufeff")


# --- front matter -----------------------------------------------------------------------


def test_front_matter_good() -> None:
    text = (
        "---\ngemeente: Zandhoven\nleeftijd: 45\npostcode: 0123\nactief: nee\n"
        'datum: 2024-03-01\nleeg:\nniets: null\ncitaat: "null"\n---\nI: Welkom.\n'
    )
    attributes, rest = split_front_matter(text, "a.md")
    assert attributes == {
        "gemeente": "Zandhoven",
        "leeftijd": "45",
        "postcode": "0123",
        "actief": "nee",
        "datum": "2024-03-01",
        "leeg": "",
        "niets": "",
        "citaat": "null",
    }
    assert rest == "I: Welkom.\n"


def test_front_matter_rest_is_untouched() -> None:
    attributes, rest = split_front_matter("---\na: b\n---\n\n  I: hoi\n\n", "a.md")
    assert attributes == {"a": "b"}
    assert rest == "\n  I: hoi\n\n"


def test_front_matter_absent() -> None:
    text = "I: hoi\n---\na: b\n---\n"
    assert split_front_matter(text, "a.txt") == ({}, text)
    assert split_front_matter(" ---\na: b\n---\n", "a.txt")[0] == {}


def test_front_matter_empty_and_dots_close() -> None:
    assert split_front_matter("---\n---\nhoi", "a.md") == ({}, "hoi")
    assert split_front_matter("---\na: 1\n...\nhoi", "a.md") == ({"a": "1"}, "hoi")
    assert split_front_matter("---\na: 1\n---", "a.md") == ({"a": "1"}, "")


def test_front_matter_malformed_names_line() -> None:
    text = "---\ngemeente: Zandhoven\nrol: [wijkteam\nleeftijd: 45\n---\nI: hoi\n"
    with pytest.raises(ImportFileError) as info:
        split_front_matter(text, "kapot.md")
    assert info.value.where == "kapot.md"
    assert info.value.message.startswith("line ")
    line = int(info.value.message.split()[1].rstrip(":"))
    assert 3 <= line <= 5
    assert "YAML" in info.value.message


def test_front_matter_bad_indentation_line() -> None:
    text = "---\na: 1\n  b: 2\n---\n"
    with pytest.raises(ImportFileError, match=r"line 3"):
        split_front_matter(text, "kapot.md")


def test_front_matter_nested_value_names_key() -> None:
    text = "---\ngemeente: Zandhoven\nthema:\n  - zorg\n  - wonen\n---\nhoi"
    with pytest.raises(ImportFileError) as info:
        split_front_matter(text, "a.md")
    assert "'thema'" in info.value.message
    assert "line 4" in info.value.message


def test_front_matter_repeated_key() -> None:
    with pytest.raises(ImportFileError, match="'a' is repeated"):
        split_front_matter("---\na: 1\na: 2\n---\n", "a.md")


def test_front_matter_not_a_mapping() -> None:
    with pytest.raises(ImportFileError, match="key: value"):
        split_front_matter("---\n- a\n- b\n---\n", "a.md")


def test_front_matter_unclosed() -> None:
    with pytest.raises(ImportFileError) as info:
        split_front_matter("---\na: 1\nI: hoi\n", "a.md")
    assert "never closed" in info.value.message
    assert "---" in info.value.hint
