"""docs/data.md's key tables are generated from the PynamoDB models (infra/key_tables.py),
like infra/stateful.json: the documented keys and access patterns cannot drift."""

import pytest

from bemtevi.store.models import CompensationRecord, CustomerRecord, LinkRecord
from infra.key_tables import (
    DATA_DOC,
    UndocumentedModel,
    key_patterns,
    key_tables,
    main,
    updated,
)


def test_docs_data_md_holds_the_generated_key_tables():
    assert DATA_DOC.read_text() == updated(DATA_DOC.read_text()), (
        "docs/data.md is stale: run `python -m infra.key_tables`"
    )
    assert main(["--check"]) == 0


def test_key_patterns_come_from_the_models_keys_helpers():
    assert key_patterns(CustomerRecord) == ("T#<tenant>#C#<customer id>", "`CUSTOMER`")
    assert key_patterns(CompensationRecord) == (
        "T#<tenant>#COMP#<YYYY-MM>",
        "`<payer>#<receiver>` or `LATE#<origin month>#<payer>#<receiver>`",
    )
    tables = key_tables()
    assert "| customer | `CustomerRecord` | `T#<tenant>#C#<customer id>` | `CUSTOMER` |" in tables
    assert "| `redeemable` | customer | `redeemable_pk` | `available_from` |" in tables


def test_a_changed_model_makes_the_document_stale(monkeypatch):
    document = DATA_DOC.read_text()
    monkeypatch.setattr(
        CustomerRecord, "keys", staticmethod(lambda tenant_id, customer_id: ("X", "Y"))
    )
    assert updated(document) != document


def test_a_record_model_without_an_access_note_is_refused(monkeypatch):
    monkeypatch.delattr(LinkRecord, "ACCESS")
    with pytest.raises(UndocumentedModel, match="LinkRecord has no ACCESS note"):
        key_tables()
