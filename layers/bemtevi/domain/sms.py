"""How many SMS segments a text costs: GSM-7 when every character is in the GSM 03.38
alphabet (160 per message, 153 per segment when split; the extension characters count
twice), else UCS-2 (70, 67 when split; characters outside the BMP count twice).
Portuguese accents such as ã, õ, ç, á and ê are not GSM-7: one of them makes the whole
message UCS-2. `sms_text` is what an SMS carries: plain spaces always, and, unless the
tenant chose accents, the text transliterated to GSM-7 so that a reminder costs one
segment, not two."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")
# typography with no decomposition to ASCII; anything else outside GSM-7 becomes "?"
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "«": '"',
        "»": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2022": "-",
    }
)


@dataclass(frozen=True)
class SmsSize:
    encoding: str
    segments: int


def sms_size(text: str) -> SmsSize:
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, part, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsSize(encoding, 1 if units else 0)
    return SmsSize(encoding, -(-units // part))


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


def sms_text(text: str, accents: bool = False) -> str:
    """The text as it goes by SMS. Every space is a plain one (Babel writes "R$\xa017,99"
    with a no-break space, which alone would make the SMS UCS-2). Without accents, every
    letter loses its accent ("você" -> "voce", "É" -> "E") and what is still outside GSM-7
    becomes "?", so the SMS is GSM-7 whatever the template and the names in it."""
    text = "".join(" " if ch.isspace() and ch not in "\n\r" else ch for ch in text)
    if accents:
        return text
    plain = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return "".join(ch if ch in GSM7_BASIC or ch in GSM7_EXTENSION else "?" for ch in plain)
