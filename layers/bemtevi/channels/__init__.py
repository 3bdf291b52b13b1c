"""Message channels (SMS through SNS, e-mail through SES, WhatsApp): one small
interface, one adapter each. Arrives with the automatic messages."""
