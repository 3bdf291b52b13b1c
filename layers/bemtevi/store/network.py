"""Repository of tenants, stores and store keys (the network table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from bemtevi.domain.benefits import Benefit
from bemtevi.domain.catalogue import search_key
from bemtevi.domain.messaging import MessagingRules
from bemtevi.domain.program import ProgramRules
from bemtevi.domain.templates import Template
from bemtevi.errors import Conflict, NotFound
from bemtevi.observability import logger
from bemtevi.security.sealing import SealedSecret
from bemtevi.store.connection import shared_connection, unversioned_update
from bemtevi.store.models import (
    BenefitMap,
    BenefitsRecord,
    MessagingRecord,
    NetworkTable,
    ProductRecord,
    ProgramRecord,
    SealedSecretMap,
    SmsNumberRecord,
    StoreKeyRecord,
    StoreRecord,
    TemplateRecord,
    TenantEntryRecord,
    TenantRecord,
)
from bemtevi.store.transactions import Contention

_N = TypeVar("_N", bound=NetworkTable)


@dataclass(frozen=True)
class TenantProfile:
    """A tenant (rede) as its record holds it, with its pepper still sealed."""

    tenant_id: str
    name: str
    timezone: str
    created_at: datetime
    pepper: SealedSecret


@dataclass(frozen=True)
class Store:
    tenant_id: str
    store_id: str
    name: str
    key_id: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class StoreKey:
    """A store's POS credentials: its sealed secrets (version, created at, secret) and
    the revision they were read at, which `save_secrets` writes on condition of."""

    key_id: str
    tenant_id: str
    store_id: str
    secrets: tuple[tuple[int, datetime, SealedSecret], ...]
    revision: int | None
    last_seen_at: datetime | None = None
    pepper: SealedSecret | None = None
    """The tenant's pepper sealed with the secrets (None: a key written before that)."""


def create_tenant(
    tenant_id: str, name: str, timezone: str, pepper: SealedSecret, created_at: datetime
) -> TenantProfile:
    pk, sk = TenantRecord.keys(tenant_id)
    record = TenantRecord(
        pk,
        sk,
        tenant_id=tenant_id,
        name=name,
        timezone=timezone,
        created_at=created_at,
        pepper=_sealed_map(1, created_at, pepper),
    )
    entry = TenantEntryRecord(*TenantEntryRecord.keys(tenant_id), tenant_id=tenant_id)
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.save(record, condition=NetworkTable.pk.does_not_exist())
            transaction.save(entry)
    except TransactWriteError as error:
        reasons = [reason.code if reason else None for reason in error.cancellation_reasons]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise Conflict("tenant_exists", "Já existe uma rede com esse id.", "id") from None
        raise
    return tenant_profile(record)


def tenant_ids() -> list[str]:
    """Every tenant, for the scheduled jobs."""
    pk, _ = TenantEntryRecord.keys("")
    return [entry.tenant_id for entry in TenantEntryRecord.query(pk)]


def get_tenant(tenant_id: str) -> TenantProfile:
    try:
        return tenant_profile(TenantRecord.get(*TenantRecord.keys(tenant_id)))
    except DoesNotExist:
        raise NotFound("tenant_not_found", "Rede não encontrada.", "tenant") from None


def tenant_profile(record: TenantRecord) -> TenantProfile:
    pepper = record.pepper
    return TenantProfile(
        tenant_id=record.tenant_id,
        name=record.name,
        timezone=record.timezone,
        created_at=record.created_at,
        pepper=SealedSecret(pepper.encrypted_data_key, pepper.nonce, pepper.ciphertext),
    )


def add_store(
    tenant_id: str,
    store_id: str,
    name: str,
    key_id: str,
    sealed: SealedSecret,
    pepper: SealedSecret,
    created_at: datetime,
) -> Store:
    """Store and key are written together, on condition that the tenant exists and
    neither the store nor the key id does. `sealed` and `pepper`: the key's secret and
    the tenant's pepper, sealed together."""
    store = StoreRecord(
        *StoreRecord.keys(tenant_id, store_id),
        tenant_id=tenant_id,
        store_id=store_id,
        name=name,
        key_id=key_id,
        created_at=created_at,
    )
    key = StoreKeyRecord(
        *StoreKeyRecord.keys(key_id),
        key_id=key_id,
        tenant_id=tenant_id,
        store_id=store_id,
        secrets=[_sealed_map(1, created_at, sealed)],
        pepper=_sealed_map(1, created_at, pepper),
    )
    tenant = TenantRecord(*TenantRecord.keys(tenant_id))
    try:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.condition_check(
                TenantRecord, tenant.pk, tenant.sk, condition=NetworkTable.pk.exists()
            )
            transaction.save(store, condition=NetworkTable.pk.does_not_exist())
            transaction.save(key, condition=NetworkTable.pk.does_not_exist())
    except TransactWriteError as error:
        reasons = [reason.code if reason else None for reason in error.cancellation_reasons]
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise NotFound("tenant_not_found", "Rede não encontrada.", "tenant") from None
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise Conflict("store_exists", "Já existe uma loja com esse id.", "id") from None
        raise
    return _store(store)


def list_stores(tenant_id: str) -> list[Store]:
    pk, _ = TenantRecord.keys(tenant_id)
    return [
        _store(record) for record in StoreRecord.query(pk, NetworkTable.sk.startswith("STORE#"))
    ]


def rename_store(tenant_id: str, store_id: str, name: str) -> Store:
    """Rename a store of the tenant (404 when it has no such store); nothing else changes."""
    record = StoreRecord(*StoreRecord.keys(tenant_id, store_id))
    try:
        record.update(actions=[StoreRecord.name.set(name)], condition=NetworkTable.pk.exists())
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise NotFound("store_not_found", "Loja não encontrada.", "id") from None
        raise
    return _store(record)


def get_store(tenant_id: str, store_id: str) -> Store:
    try:
        return _store(StoreRecord.get(*StoreRecord.keys(tenant_id, store_id)))
    except DoesNotExist:
        raise NotFound("store_not_found", "Loja não encontrada.", "id") from None


@dataclass(frozen=True)
class TenantConfiguration:
    """What a request needs of its tenant, read together (defaults where never set)."""

    tenant: TenantProfile
    program: ProgramRules
    benefits: tuple[Benefit, ...]
    messaging: MessagingRules


def tenant_configuration(tenant_id: str) -> TenantConfiguration:
    """One BatchGetItem for the tenant's record, points program, benefit rules and message
    settings, instead of a GetItem each: a cold request waits for one round trip. Strongly
    consistent, as benefit rules are read everywhere else."""
    models = (TenantRecord, ProgramRecord, BenefitsRecord, MessagingRecord)
    keys = [model.keys(tenant_id) for model in models]
    found = {type(record): record for record in NetworkTable.batch_get(keys, consistent_read=True)}
    tenant = found.get(TenantRecord)
    if not isinstance(tenant, TenantRecord):
        raise NotFound("tenant_not_found", "Rede não encontrada.", "tenant")
    return TenantConfiguration(
        tenant=tenant_profile(tenant),
        program=program_rules(_of_type(found.get(ProgramRecord), ProgramRecord)),
        benefits=benefits_of(_of_type(found.get(BenefitsRecord), BenefitsRecord)),
        messaging=messaging_rules_of(_of_type(found.get(MessagingRecord), MessagingRecord))[0],
    )


def _of_type(record: NetworkTable | None, model: type[_N]) -> _N | None:
    return record if isinstance(record, model) else None


def _store(record: StoreRecord) -> Store:
    return Store(
        tenant_id=record.tenant_id,
        store_id=record.store_id,
        name=record.name,
        key_id=record.key_id,
        active=bool(record.active),
        created_at=record.created_at,
    )


def find_key(key_id: str) -> StoreKey | None:
    try:
        record = StoreKeyRecord.get(*StoreKeyRecord.keys(key_id))
    except DoesNotExist:
        return None
    return _store_key(record)


def store_keys(key_ids: list[str]) -> dict[str, StoreKey]:
    """Several keys in one BatchGetItem (the stores page: secrets and last seen)."""
    found = StoreKeyRecord.batch_get([StoreKeyRecord.keys(key_id) for key_id in key_ids])
    return {record.key_id: _store_key(record) for record in found}


def note_key_seen(key_id: str, at: datetime, unless_since: datetime) -> bool:
    """Record that `key_id` signed a request at `at`, unless it was recorded at or after
    `unless_since` (by this or another Lambda). The key's revision is left alone, so a
    rotation is never refused because of it. True when this call wrote; a failure is
    logged, never raised: it must not refuse the request it notes."""
    pk, sk = StoreKeyRecord.keys(key_id)
    seen = StoreKeyRecord.last_seen_at
    try:
        unversioned_update(
            StoreKeyRecord,
            pk,
            sk,
            [seen.set(at)],
            NetworkTable.pk.exists() & (seen.does_not_exist() | (seen < unless_since)),
        )
    except UpdateError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            logger.warning("key last seen not recorded", extra={"error": type(error).__name__})
        return False
    return True


def _store_key(record: StoreKeyRecord) -> StoreKey:
    return StoreKey(
        key_id=record.key_id,
        tenant_id=record.tenant_id,
        store_id=record.store_id,
        secrets=tuple(
            (
                int(item.version),
                item.created_at,
                _sealed_secret(item),
            )
            for item in record.secrets
        ),
        revision=record.revision,
        last_seen_at=record.last_seen_at,
        pepper=_sealed_secret(record.pepper) if record.pepper else None,
    )


def _sealed_secret(item: SealedSecretMap) -> SealedSecret:
    return SealedSecret(item.encrypted_data_key, item.nonce, item.ciphertext)


def sealed_pepper(tenant: TenantProfile) -> SealedSecret:
    return tenant.pepper


def get_program(tenant_id: str) -> ProgramRecord | None:
    try:
        return ProgramRecord.get(*ProgramRecord.keys(tenant_id))
    except DoesNotExist:
        return None


def save_program(tenant_id: str, rules: ProgramRules, updated_at: datetime) -> None:
    get_tenant(tenant_id)
    ProgramRecord(
        *ProgramRecord.keys(tenant_id),
        points_per_real_milli=rules.points_per_real_milli,
        validity_days=rules.validity_days,
        pending_days=rules.pending_days,
        store_points_per_real_milli=dict(rules.store_points_per_real_milli),
        category_multiplier_milli=dict(rules.category_multiplier_milli),
        updated_at=updated_at,
    ).save()


def program_rules(record: ProgramRecord | None) -> ProgramRules:
    if record is None:
        return ProgramRules()
    return ProgramRules(
        points_per_real_milli=int(record.points_per_real_milli),
        validity_days=int(record.validity_days),
        pending_days=int(record.pending_days),
        store_points_per_real_milli={
            k: int(v) for k, v in record.store_points_per_real_milli.as_dict().items()
        },
        category_multiplier_milli={
            k: int(v) for k, v in record.category_multiplier_milli.as_dict().items()
        },
    )


def save_products(tenant_id: str, products: list[dict], updated_at: datetime) -> None:
    """BatchWriteItem, 25 per call: the ERP is the catalogue's source of truth."""
    with ProductRecord.batch_write() as batch:
        for product in products:
            batch.save(
                ProductRecord(
                    *ProductRecord.keys(tenant_id, product["sku"]),
                    sku=product["sku"],
                    name=product["name"],
                    brand=product.get("brand"),
                    category=product.get("category"),
                    price=product["price"],
                    cost=product.get("cost"),
                    updated_at=updated_at,
                    name_key=search_key(product["name"]),
                    sku_key=search_key(product["sku"]),
                )
            )


def benefits_keys(tenant_id: str) -> tuple[str, str]:
    return BenefitsRecord.keys(tenant_id)


def benefits_read(tenant_id: str) -> tuple[type[BenefitsRecord], tuple[str, str]]:
    """The benefit rules as an item to read in the same TransactGet as others."""
    return BenefitsRecord, benefits_keys(tenant_id)


def benefits_read_from(item: object | None) -> tuple[Benefit, ...]:
    """The rules of the item `benefits_read` named (None: no rules yet), read with items of
    several tables, hence checked here."""
    if item is not None and not isinstance(item, BenefitsRecord):
        raise TypeError(f"not a BENEFITS item: {type(item).__name__}")
    return benefits_of(item)


def benefits_of(record: BenefitsRecord | None) -> tuple[Benefit, ...]:
    """The rules in a BENEFITS item; none when the tenant has no item yet."""
    if record is None:
        return ()
    return tuple(_benefit(rule) for rule in record.rules)


def benefits(tenant_id: str) -> list[Benefit]:
    return list(benefits_of(_benefits_record(tenant_id)))


def change_benefits(
    tenant_id: str,
    change: Callable[[tuple[Benefit, ...]], tuple[Benefit, ...]],
    updated_at: datetime,
) -> tuple[Benefit, ...]:
    """Read the rules, apply `change`, write them back on condition that nobody changed
    them meanwhile (the item's revision; Contention: read again)."""
    get_tenant(tenant_id)
    record = _benefits_record(tenant_id) or BenefitsRecord(*BenefitsRecord.keys(tenant_id))
    changed = change(benefits_of(record))
    record.rules = [_benefit_map(benefit) for benefit in changed]
    record.updated_at = updated_at
    try:
        record.save()
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Contention() from None
        raise
    return changed


def _benefits_record(tenant_id: str) -> BenefitsRecord | None:
    try:
        return BenefitsRecord.get(*BenefitsRecord.keys(tenant_id), consistent_read=True)
    except DoesNotExist:
        return None


def _benefit(record: BenefitMap) -> Benefit:
    return Benefit(
        benefit_id=record.benefit_id,
        description=record.description,
        kind=record.benefit_kind,
        points=int(record.points),
        value=int(record.value),
        minimum_purchase=int(record.minimum_purchase),
        sku=record.sku,
        starts_on=date.fromisoformat(record.starts_on) if record.starts_on else None,
        ends_on=date.fromisoformat(record.ends_on) if record.ends_on else None,
        stores=tuple(record.stores),
        active=record.active,
    )


def _benefit_map(benefit: Benefit) -> BenefitMap:
    return BenefitMap(
        benefit_id=benefit.benefit_id,
        description=benefit.description,
        benefit_kind=benefit.kind,
        points=benefit.points,
        value=benefit.value,
        minimum_purchase=benefit.minimum_purchase,
        sku=benefit.sku,
        starts_on=benefit.starts_on.isoformat() if benefit.starts_on else None,
        ends_on=benefit.ends_on.isoformat() if benefit.ends_on else None,
        stores=list(benefit.stores),
        active=benefit.active,
    )


def save_template(tenant_id: str, template: Template, updated_at: datetime) -> None:
    get_tenant(tenant_id)
    TemplateRecord(
        *TemplateRecord.keys(tenant_id, template.kind, template.channel),
        template_kind=template.kind,
        channel=template.channel,
        text=template.text,
        subject=template.subject,
        html=template.html,
        whatsapp_template=template.whatsapp_template,
        parameters=list(template.parameters),
        updated_at=updated_at,
    ).save()


def templates(tenant_id: str) -> list[Template]:
    pk, _ = TenantRecord.keys(tenant_id)
    return [
        Template(
            kind=record.template_kind,
            channel=record.channel,
            text=record.text,
            subject=record.subject,
            html=record.html,
            whatsapp_template=record.whatsapp_template,
            parameters=tuple(record.parameters),
        )
        for record in TemplateRecord.query(pk, NetworkTable.sk.startswith("TEMPLATE#"))
    ]


def delete_template(tenant_id: str, kind: str, channel: str) -> None:
    """The tenant's own text for `kind` and `channel` removed: the default applies again."""
    TemplateRecord(*TemplateRecord.keys(tenant_id, kind, channel)).delete()


def messaging_rules(tenant_id: str) -> tuple[MessagingRules, str | None]:
    """The tenant's message settings (the defaults where none were set) and its SMS number."""
    try:
        record = MessagingRecord.get(*MessagingRecord.keys(tenant_id))
    except DoesNotExist:
        return MessagingRules(), None
    return messaging_rules_of(record)


def messaging_rules_of(record: MessagingRecord | None) -> tuple[MessagingRules, str | None]:
    """The settings in a MESSAGING item; the defaults and no number when there is none."""
    if record is None:
        return MessagingRules(), None
    rules = MessagingRules(
        channels=tuple(record.channels),
        send_from_hour=int(record.send_from_hour),
        send_until_hour=int(record.send_until_hour),
        reminder_day=int(record.reminder_day),
        job_hour=int(record.job_hour),
        expiry_warning_days=int(record.expiry_warning_days),
        sms_segment_cost=int(record.sms_segment_cost),
        whatsapp_cost=int(record.whatsapp_cost),
        email_cost=int(record.email_cost),
        sms_sender_id=record.sms_sender_id,
        email_source=record.email_source,
        whatsapp_phone_number_id=record.whatsapp_phone_number_id,
        sms_accents=bool(record.sms_accents),
        # settings saved before the pace existed keep the defaults
        **{
            name: value
            for name in ("sms_per_second", "email_per_second", "whatsapp_per_second")
            if (value := getattr(record, name)) is not None
        },
    )
    return rules, record.sms_number


def save_messaging_rules(
    tenant_id: str, rules: MessagingRules, sms_number: str | None, updated_at: datetime
) -> None:
    """The settings, and the SMS number's owner (inbound replies name only the number)."""
    get_tenant(tenant_id)
    _, previous = messaging_rules(tenant_id)
    record = MessagingRecord(
        *MessagingRecord.keys(tenant_id),
        **{name: value for name, value in rules.__dict__.items() if name != "channels"},
        channels=list(rules.channels),
        sms_number=sms_number,
        updated_at=updated_at,
    )
    with TransactWrite(connection=shared_connection()) as transaction:
        transaction.save(record)
        if previous and previous != sms_number:
            transaction.delete(SmsNumberRecord(*SmsNumberRecord.keys(previous)))
        if sms_number:
            transaction.save(
                SmsNumberRecord(*SmsNumberRecord.keys(sms_number), tenant_id=tenant_id),
                condition=NetworkTable.pk.does_not_exist()
                | (SmsNumberRecord.tenant_id == tenant_id),
            )


def tenant_of_number(number: str) -> str | None:
    try:
        return SmsNumberRecord.get(*SmsNumberRecord.keys(number)).tenant_id
    except DoesNotExist:
        return None


def get_product(tenant_id: str, sku: str) -> ProductRecord:
    try:
        return ProductRecord.get(*ProductRecord.keys(tenant_id, sku))
    except DoesNotExist:
        raise NotFound("product_not_found", "Produto não encontrado.", "sku") from None


def sealed_secrets(key: StoreKey) -> list[tuple[int, datetime, SealedSecret]]:
    return list(key.secrets)


def save_secrets(
    key: StoreKey,
    secrets: list[tuple[int, datetime, SealedSecret]],
    pepper: SealedSecret | None,
) -> StoreKey:
    """Replace the key's secrets and its copy of the pepper; the revision read makes a
    concurrent change fail instead of silently winning."""
    record = StoreKeyRecord(
        *StoreKeyRecord.keys(key.key_id),
        key_id=key.key_id,
        tenant_id=key.tenant_id,
        store_id=key.store_id,
        secrets=[_sealed_map(version, created, sealed) for version, created, sealed in secrets],
        revision=key.revision,
        last_seen_at=key.last_seen_at,
        pepper=_sealed_map(1, secrets[-1][1], pepper) if pepper else None,
    )
    try:
        record.save()
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise Conflict(
                "concurrent_change", "O segredo foi alterado ao mesmo tempo; tente de novo.", "id"
            ) from None
        raise
    return _store_key(record)


def _sealed_map(version: int, created_at: datetime, sealed: SealedSecret) -> SealedSecretMap:
    return SealedSecretMap(
        version=version,
        created_at=created_at,
        encrypted_data_key=sealed.encrypted_data_key,
        nonce=sealed.nonce,
        ciphertext=sealed.ciphertext,
    )
