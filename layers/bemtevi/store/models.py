"""PynamoDB models, one root model per table.

network table: a tenant's configuration, read on every request but written rarely.

| item        | pk                  | sk               | serves                                  |
|-------------|---------------------|------------------|-----------------------------------------|
| tenant      | TENANT#<tenant>     | TENANT           | GetItem: the rede's name and time zone  |
| store       | TENANT#<tenant>     | STORE#<store>    | Query: the stores of a tenant           |
| store key   | KEY#<key id>        | KEY              | GetItem: authenticate a signed request  |

The key item is found from the request's key id alone and carries the tenant and store it
acts for, so authenticating a request is one GetItem.
"""

from pynamodb.attributes import (
    BinaryAttribute,
    BooleanAttribute,
    DiscriminatorAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.models import Model

from bemtevi import settings


class NetworkTable(Model):
    class Meta:
        table_name = settings.table_name("network")

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()


class TenantRecord(NetworkTable, discriminator="tenant"):
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    timezone = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", "TENANT"


class StoreRecord(NetworkTable, discriminator="store"):
    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    name = UnicodeAttribute()
    key_id = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    created_at = UTCDateTimeAttribute()

    @staticmethod
    def keys(tenant_id: str, store_id: str) -> tuple[str, str]:
        return f"TENANT#{tenant_id}", f"STORE#{store_id}"


class SealedSecretMap(MapAttribute):
    version = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    encrypted_data_key = BinaryAttribute(legacy_encoding=False)
    nonce = BinaryAttribute(legacy_encoding=False)
    ciphertext = BinaryAttribute(legacy_encoding=False)


class StoreKeyRecord(NetworkTable, discriminator="store_key"):
    key_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    store_id = UnicodeAttribute()
    secrets = ListAttribute(of=SealedSecretMap)
    revision = VersionAttribute()

    @staticmethod
    def keys(key_id: str) -> tuple[str, str]:
        return f"KEY#{key_id}", "KEY"


TABLES: dict[str, type[Model]] = {"network": NetworkTable}
