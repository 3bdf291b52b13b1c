"""Rules of the automatic messages: when a customer may be written to, on which channel,
once per which period, what it costs, how a failed send is retried, and which replies
opt a number out."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bemtevi.domain.benefits import Benefit
from bemtevi.domain.ledger import Lot, Points
from bemtevi.domain.message_kinds import ChannelName, MessageKind
from bemtevi.domain.templates import CHANNELS
from bemtevi.errors import InvalidInput

OPT_OUT_KEYWORDS = frozenset({"SAIR", "PARAR", "PARE", "STOP", "CANCELAR"})
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=2)
LINK_VALIDITY = timedelta(days=30)
CLAIM_LEASE = timedelta(minutes=15)
MIN_PER_SECOND = 0.1
MAX_PER_SECOND = 1000


@dataclass(frozen=True)
class MessagingRules:
    """A tenant's settings for automatic messages. Costs are centavos: per SMS segment,
    per WhatsApp message, per e-mail. `sms_accents`: SMS keep their accents (UCS-2, 70
    characters a segment) instead of going transliterated to GSM-7 (160).
    `*_per_second`: the pace of sends per channel, kept below the provider's limit (SNS
    SMS: about 20/s by default; SES: 1/s in the sandbox, 14/s in production), so a big
    run is never throttled."""

    channels: tuple[str, ...] = ("sms", "email")
    send_from_hour: int = 9
    send_until_hour: int = 20
    reminder_day: int = 5
    job_hour: int = 10
    expiry_warning_days: int = 15
    sms_segment_cost: int = 7
    whatsapp_cost: int = 35
    email_cost: int = 0
    sms_sender_id: str | None = None
    email_source: str = "nao-responda@bemtevi.com.br"
    whatsapp_phone_number_id: str | None = None
    sms_accents: bool = False
    sms_per_second: float = 20
    email_per_second: float = 14
    whatsapp_per_second: float = 20

    def __post_init__(self) -> None:
        unknown = [channel for channel in self.channels if channel not in CHANNELS]
        if not self.channels or unknown or len(set(self.channels)) != len(self.channels):
            raise InvalidInput(
                "invalid_channels",
                f"Canais, em ordem de preferência: {', '.join(CHANNELS)}.",
                "channels",
            )
        if not 0 <= self.send_from_hour < self.send_until_hour <= 24:
            raise InvalidInput(
                "invalid_quiet_hours",
                "Horário de envio: início antes do fim, de 0 a 24.",
                "send_hours",
            )
        if not 1 <= self.reminder_day <= 28:
            raise InvalidInput(
                "invalid_reminder_day", "Dia do lembrete: de 1 a 28.", "reminder_day"
            )
        if not self.send_from_hour <= self.job_hour < self.send_until_hour:
            raise InvalidInput(
                "invalid_job_hour",
                "A hora dos envios deve estar no horário de envio.",
                "job_hour",
            )
        if not 1 <= self.expiry_warning_days <= 90:
            raise InvalidInput(
                "invalid_warning_days",
                "Aviso de vencimento: de 1 a 90 dias antes.",
                "expiry_warning_days",
            )
        if not isinstance(self.sms_accents, bool):
            raise InvalidInput("invalid_sms_accents", "SMS com acentos: sim ou não.", "sms_accents")
        if min(self.sms_segment_cost, self.whatsapp_cost, self.email_cost) < 0:
            raise InvalidInput("invalid_cost", "Custo em centavos, sem sinal.", "cost")
        self._check_pace()

    def _check_pace(self) -> None:
        for channel in CHANNELS:
            rate = self.per_second(channel)
            if isinstance(rate, bool) or not isinstance(rate, int | float):
                rate = -1
            if not MIN_PER_SECOND <= rate <= MAX_PER_SECOND:
                raise InvalidInput(
                    "invalid_pace",
                    "Envios por segundo: de 0,1 a 1000.",
                    f"{channel}_per_second",
                )

    def per_second(self, channel: str) -> float:
        """The pace of sends on a channel, in messages per second."""
        rate: float = getattr(self, f"{channel}_per_second")
        return rate


def may_send_at(rules: MessagingRules, moment: datetime, zone: ZoneInfo) -> bool:
    """Quiet hours: messages go only between the tenant's hours, local time."""
    local = moment.astimezone(zone)
    return rules.send_from_hour <= local.hour < rules.send_until_hour


def next_send_window(rules: MessagingRules, moment: datetime, zone: ZoneInfo) -> datetime:
    """When a message held by the quiet hours may go: today's opening if it is still
    ahead, else tomorrow's."""
    local = moment.astimezone(zone)
    opening = datetime.combine(local.date(), time(rules.send_from_hour), zone)
    if local >= opening:
        opening = datetime.combine(
            local.date() + timedelta(days=1), time(rules.send_from_hour), zone
        )
    return opening


def job_moment(rules: MessagingRules, day: date, zone: ZoneInfo) -> datetime:
    """The moment a job runs on a day: the tenant's job hour, local time."""
    return datetime.combine(day, time(rules.job_hour), zone)


def is_reminder_hour(rules: MessagingRules, moment: datetime, zone: ZoneInfo) -> bool:
    local = moment.astimezone(zone)
    return local.day == rules.reminder_day and local.hour == rules.job_hour


def is_job_hour(rules: MessagingRules, moment: datetime, zone: ZoneInfo) -> bool:
    return moment.astimezone(zone).hour == rules.job_hour


def channel_for(
    rules: MessagingRules, has_phone: bool, has_email: bool, opted_out: set[str]
) -> str | None:
    """The first channel of the tenant's preference the customer can be reached on and
    did not turn off; WhatsApp only where the tenant has a WhatsApp number."""
    reachable: dict[str, bool] = {
        ChannelName.SMS: has_phone,
        ChannelName.WHATSAPP: has_phone and bool(rules.whatsapp_phone_number_id),
        ChannelName.EMAIL: has_email,
    }
    for channel in rules.channels:
        if reachable[channel] and channel not in opted_out:
            return channel
    return None


def cost_of(rules: MessagingRules, channel: str, segments: int) -> int:
    if channel == ChannelName.SMS:
        return rules.sms_segment_cost * segments
    if channel == ChannelName.WHATSAPP:
        return rules.whatsapp_cost
    return rules.email_cost


def retry_delay(attempts: int) -> timedelta:
    """Backoff after the n-th failed attempt: 1, 5, 25 minutes..., at most two hours."""
    factor: int = 5 ** max(attempts - 1, 0)
    return min(FIRST_RETRY * factor, LONGEST_RETRY)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


def is_opt_out(reply: str) -> bool:
    """SAIR, PARAR, PARE, STOP or CANCELAR as the reply's first word, in any case, with or
    without accents and punctuation ("Sáir!", "parar de receber")."""
    plain = unicodedata.normalize("NFKD", reply)
    plain = "".join(char for char in plain if not unicodedata.combining(char)).upper()
    words = "".join(char if char.isalnum() else " " for char in plain).split()
    return bool(words) and words[0] in OPT_OUT_KEYWORDS


@dataclass(frozen=True)
class Figures:
    """What a message tells the customer: the kind's points (see `figures_for`), the
    balance, what the points are worth, when they expire."""

    points: int
    value: int
    expires_on: date | None
    balance: int = 0


def best_value(benefits: tuple[Benefit, ...], points: int, today: date) -> int:
    """The most a customer's points buy today at some store: the value of the dearest
    benefit in force that they reach (0 if none)."""
    reached = [b.value for b in benefits if b.in_force(today) and b.points <= points]
    return max(reached, default=0)


class KindPolicy:
    """What makes a kind of automatic message what it is: the period it goes at most once
    in, the points it tells, and whether it is worth sending at all."""

    kind: MessageKind

    def period(self, moment: datetime, zone: ZoneInfo, expires_on: date | None = None) -> str:
        raise NotImplementedError

    def shown_points(self, points: Points, now: datetime, warning_days: int) -> int:
        """The kind's own figure (`pontos`)."""
        return points.balance

    def worth_sending(self, shown: int, available: int, threshold: int | None) -> bool:
        return True

    def figures(
        self,
        points: Points,
        benefits: tuple[Benefit, ...],
        now: datetime,
        zone: ZoneInfo,
        warning_days: int,
    ) -> Figures:
        today = now.astimezone(zone).date()
        first = self.first_expiry(points, now, warning_days)
        return Figures(
            self.shown_points(points, now, warning_days),
            best_value(benefits, points.available(now), today),
            first.astimezone(zone).date() if first else None,
            points.balance,
        )

    def first_expiry(self, points: Points, now: datetime, warning_days: int) -> datetime | None:
        return points.next_expiry()


class Welcome(KindPolicy):
    """Once ever, after the first points; tells the balance (the points earned are the
    message's own)."""

    kind = MessageKind.WELCOME

    def period(self, moment: datetime, zone: ZoneInfo, expires_on: date | None = None) -> str:
        return "ever"


class Reminder(KindPolicy):
    """Once a month, to who can redeem now; tells the points available now."""

    kind = MessageKind.REMINDER

    def period(self, moment: datetime, zone: ZoneInfo, expires_on: date | None = None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m")

    def shown_points(self, points: Points, now: datetime, warning_days: int) -> int:
        return points.available(now)

    def worth_sending(self, shown: int, available: int, threshold: int | None) -> bool:
        return threshold is not None and available >= threshold


class ExpiryWarning(KindPolicy):
    """Once per expiring date, while points expire within the warning period; tells those
    points and the first date they expire."""

    kind = MessageKind.EXPIRY

    def period(self, moment: datetime, zone: ZoneInfo, expires_on: date | None = None) -> str:
        if expires_on is None:
            raise ValueError("an expiry warning needs the date the points expire")
        return expires_on.isoformat()

    def shown_points(self, points: Points, now: datetime, warning_days: int) -> int:
        return sum(lot.remaining for lot in _expiring(points, now, warning_days))

    def worth_sending(self, shown: int, available: int, threshold: int | None) -> bool:
        return shown > 0

    def first_expiry(self, points: Points, now: datetime, warning_days: int) -> datetime | None:
        return min((lot.expires_at for lot in _expiring(points, now, warning_days)), default=None)


def _expiring(points: Points, now: datetime, warning_days: int) -> list[Lot]:
    horizon = now + timedelta(days=warning_days)
    return [lot for lot in points.lots if now < lot.expires_at <= horizon]


POLICIES: dict[MessageKind, KindPolicy] = {
    policy.kind: policy for policy in (Welcome(), Reminder(), ExpiryWarning())
}


def policy_for(kind: str) -> KindPolicy:
    return POLICIES[MessageKind(kind)]


@dataclass(frozen=True)
class Bucket:
    """A token bucket of sends on one channel: `tokens` left at moment `at` (seconds of
    a monotonic clock)."""

    tokens: float
    at: float


def next_send(
    bucket: Bucket | None, per_second: float, now: float, burst: float = 1.0
) -> tuple[float, Bucket]:
    """When the next send may go (never before `now`) and the bucket once it went. The
    bucket refills at `per_second` up to `burst` sends; with a burst of 1, sends are
    spaced 1/per_second apart, so no second ever holds more than the pace."""
    if bucket is None:
        tokens, at = burst, now
    else:
        at = max(now, bucket.at)
        tokens = min(burst, bucket.tokens + (at - bucket.at) * per_second)
    if tokens >= 1:
        return at, Bucket(tokens - 1, at)
    when = at + (1 - tokens) / per_second
    return when, Bucket(0.0, when)


@dataclass(frozen=True)
class LoggedMessage:
    """A message as the day's log shows it: no text, a masked contact only."""

    customer_id: str
    message_kind: str
    period: str
    status: str
    channel: str | None
    store_id: str | None
    attempts: int
    segments: int
    cost: int
    provider_message_id: str | None
    error: str | None
    contact: str | None
    created_at: datetime
    updated_at: datetime | None
    sent_at: datetime | None
    due_at: str | None
    logged_at: str | None


@dataclass(frozen=True)
class Reply:
    """An inbound SMS as kept: from a customer (`customer_id`) or an unknown number."""

    tenant_id: str
    customer_id: str | None
    text: str
    received_at: datetime
    opted_out: bool
    logged_at: str | None
    store_id: str | None = None
    """The store the reply is routed to: the customer's last purchase's."""


@dataclass
class Message:
    """One automatic message to one customer, kind and period, as the repository hands
    it out. The repository's writes keep it up to date: planning it (held or skipped)
    and claiming it change the message passed in, as they change the item."""

    tenant_id: str
    customer_id: str
    message_kind: str
    period: str
    status: str
    created_at: datetime
    updated_at: datetime
    channel: str | None = None
    store_id: str | None = None
    attempts: int = 0
    provider_message_id: str | None = None
    segments: int = 0
    cost: int = 0
    error: str | None = None
    link_code: str | None = None
    contact: str | None = None
    """Masked ("(11) *****-4321"), for the dashboard's log."""
    claimed_at: datetime | None = None
    sent_at: datetime | None = None
    outbox_pk: str | None = None
    due_at: str | None = None
    log_pk: str | None = None
    logged_at: str | None = None
    points_earned: int | None = None


@dataclass(frozen=True)
class Link:
    """A message's short portal link: `/l/<code>` leads to the customer's portal page
    until `expires_at`."""

    code: str
    tenant_id: str
    customer_id: str
    expires_at: datetime
