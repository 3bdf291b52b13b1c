"""How many SMS segments a text costs: GSM-7 when every character is in the GSM 03.38
alphabet (160 per message, 153 per segment when split; the extension characters count
twice), else UCS-2 (70, 67 when split; characters outside the BMP count twice).
Portuguese accents such as ã, õ, ç, á and ê are not GSM-7: one of them makes the whole
message UCS-2."""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsSize:
    encoding: str
    segments: int


def sms_size(text: str) -> SmsSize:
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, part, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsSize(encoding, 1 if units else 0)
    return SmsSize(encoding, -(-units // part))
