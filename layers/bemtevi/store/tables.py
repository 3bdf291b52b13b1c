"""Table lifecycle from the models: used by the local stack and the tests (production
tables come from infra/stateful.json, generated from the same models)."""

from pynamodb.exceptions import PynamoDBException

from bemtevi.store.models import TABLES


def create_missing_tables() -> list[str]:
    """Create every table that does not exist yet; returns the names created."""
    created = []
    for model in TABLES.values():
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
            created.append(model.Meta.table_name)
    return created


def tables_answering() -> dict[str, bool]:
    """Whether each table answers a GetItem (a data-plane call, cheap and allowed by the
    function's policy, unlike DescribeTable)."""
    status = {}
    for logical_name, model in TABLES.items():
        try:
            model.get("health", "health")
        except model.DoesNotExist:
            status[logical_name] = True
        except PynamoDBException:
            status[logical_name] = False
        else:
            status[logical_name] = True
    return status
