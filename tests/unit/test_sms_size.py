import pytest

from bemtevi.domain.sms import sms_size, sms_text


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "GSM-7", 0),
        ("Ola Maria, voce tem 250 pontos!", "GSM-7", 1),
        ("x" * 160, "GSM-7", 1),
        ("x" * 161, "GSM-7", 2),
        ("x" * 306, "GSM-7", 2),
        ("x" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),
        ("€" * 81, "GSM-7", 2),
        ("Olá Maria, você tem 250 pontos na Rede Demo!", "UCS-2", 1),
        ("ã" * 70, "UCS-2", 1),
        ("ã" * 71, "UCS-2", 2),
        ("ç" * 134, "UCS-2", 2),
        ("ç" * 135, "UCS-2", 3),
    ],
)
def test_segments_by_encoding(text, encoding, segments):
    size = sms_size(text)
    assert (size.encoding, size.segments) == (encoding, segments)


@pytest.mark.parametrize(
    ("text", "accents", "sent"),
    [
        ("R$\xa017,99", False, "R$ 17,99"),
        ("R$\xa017,99", True, "R$ 17,99"),
        ("12\u202f345\tpontos", True, "12 345 pontos"),
        ("você ganhou, ação, promoção", False, "voce ganhou, acao, promocao"),
        ("É à ü Ç", False, "E a u C"),
        ("você", True, "você"),
        ("linha 1\nlinha 2", False, "linha 1\nlinha 2"),
        ("“aspas” ‘simples’ – — …", False, "\"aspas\" 'simples' - - ..."),
        ("oi 😀 ✨", False, "oi ? ?"),
    ],
)
def test_what_an_sms_carries(text, accents, sent):
    assert sms_text(text, accents) == sent
    if not accents:
        assert sms_size(sent).encoding == "GSM-7"


def test_a_babel_price_alone_no_longer_makes_an_sms_ucs2():
    from bemtevi.domain.money import brl

    assert sms_size(brl(1799)).encoding == "UCS-2"  # the no-break space
    assert sms_size(sms_text(brl(1799), accents=True)).encoding == "GSM-7"
