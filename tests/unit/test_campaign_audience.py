"""The audience entry (issue 15 item 2): bounded whatever the history, exact through its
encoding, and small enough that an index entry stays within 300 bytes."""

import importlib.util
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bemtevi.domain.audience import (
    HORIZON_WEEKS,
    MAX_BOUGHT,
    MAX_EXPIRING,
    MAX_STORES,
    AudienceEntry,
    Bought,
    Week,
    brand_tag,
    category_tag,
    decode,
    encode,
    refreshed,
    store_tag,
    week_of,
    with_return,
    with_sale,
)
from bemtevi.domain.customers import Customer
from bemtevi.domain.ledger import Lot

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("capacity", ROOT / "bench" / "capacity.py")
capacity = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(capacity)

TODAY = date(2026, 11, 28)


def index_entry(data: bytes, tenant: str = "rede-teste") -> dict:
    """The audience index entry as DynamoDB sizes it: the table's keys, the index's
    shard key and the one projected attribute."""
    return {
        "pk": {"S": f"T#{tenant}#C#c{'a' * 24}"},
        "sk": {"S": "CUSTOMER"},
        "ak": {"S": f"T#{tenant}#A#7"},
        "au": {"B": data},
    }


def test_a_full_entry_fits_in_300_bytes_with_the_index_keys():
    """Every bound at a loyal customer's worst: 20 stores, 30 categories and brands,
    a purchase every other week over the horizon (1 to 4 a week, up to R$ 1.240),
    points pending and expiring on three days, all three channels."""
    entry = AudienceEntry(
        joined_on=date(2021, 3, 4),
        last_purchase_on=TODAY,
        visits=400,
        spent=8_000_000,
        balance=25_000,
        birthday=(12, 31),
        reach=frozenset({"sms", "email", "whatsapp"}),
        stores=tuple(store_tag(f"loja-{n:03d}") for n in range(MAX_STORES)),
        weeks=tuple(Week(o, 1 + o % 4, 200 + o * 40) for o in range(0, HORIZON_WEEKS, 2)),
        bought=tuple(Bought(category_tag(f"categoria {n}"), n % 27) for n in range(MAX_BOUGHT)),
        pending=((date(2026, 12, 12), 1200),),
        expiring=((date(2027, 1, 10), 3000), (date(2027, 2, 1), 4000), (date(2027, 3, 1), 5500)),
    )
    data = encode(entry)

    assert decode(data) == entry
    assert capacity.item_size(index_entry(data)) <= 300


def test_a_long_history_is_cut_to_the_bounds():
    """A purchase every third day for more than a year, at 45 stores, in 70 categories
    and 50 brands."""
    entry = AudienceEntry()
    for n in range(150):
        day = TODAY - timedelta(days=3 * (150 - n))
        entry = with_sale(
            entry,
            day,
            15_000 + n,
            f"loja-{n % 45}",
            categories=[f"categoria {n % 70}"],
            brands=[f"marca {n % 50}"],
        )

    assert len(entry.stores) == MAX_STORES
    assert entry.stores[0] == store_tag("loja-14")  # 149 % 45: the last purchase's store
    assert len(entry.bought) == MAX_BOUGHT
    assert max(w.offset for w in entry.weeks) == HORIZON_WEEKS - 1
    assert entry.visits == 150
    assert entry.spent == sum(15_000 + n for n in range(150))
    assert capacity.item_size(index_entry(encode(entry))) <= 300


sales = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 500_000), st.integers(0, MAX_STORES - 1)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(sales)
def test_the_weeks_kept_hold_every_sale_of_the_horizon(history):
    """Whatever the order sales arrive in (offline POS post late), each kept week holds
    exactly the sales of that week, in whole reais, and the weeks are those of the
    horizon before the last purchase."""
    entry = AudienceEntry()
    for days_ago, total, store in history:
        entry = with_sale(entry, TODAY - timedelta(days=days_ago), total, f"s{store}")
    last = TODAY - timedelta(days=min(d for d, _, _ in history))
    expected: dict[int, list[int]] = {}
    for days_ago, total, _ in history:
        offset = week_of(last) - week_of(TODAY - timedelta(days=days_ago))
        if offset < HORIZON_WEEKS:
            expected.setdefault(offset, []).append(total)

    assert entry.last_purchase_on == last
    assert entry.visits == len(history)
    assert {w.offset: w.purchases for w in entry.weeks} == {
        offset: len(totals) for offset, totals in expected.items()
    }
    for week in entry.weeks:
        assert abs(week.reais * 100 - sum(expected[week.offset])) <= 50 * week.purchases
    assert len(entry.stores) == len({s for _, _, s in history})
    assert decode(encode(entry)) == entry


days = st.dates(date(2000, 1, 1), date(2060, 12, 31))
entries = st.builds(
    AudienceEntry,
    joined_on=st.none() | days,
    last_purchase_on=st.none() | days,
    visits=st.integers(0, 10**6),
    spent=st.integers(0, 10**12),
    balance=st.integers(0, 10**9),
    birthday=st.none() | st.tuples(st.integers(1, 12), st.integers(1, 31)),
    reach=st.frozensets(st.sampled_from(["sms", "email", "whatsapp"])),
    stores=st.lists(st.integers(0, 2**24 - 1), max_size=MAX_STORES, unique=True).map(tuple),
    weeks=st.dictionaries(
        st.integers(0, HORIZON_WEEKS - 1),
        st.tuples(st.integers(1, 1000), st.integers(0, 10**7)),
        max_size=HORIZON_WEEKS,
    ).map(lambda w: tuple(Week(o, p, r) for o, (p, r) in sorted(w.items()))),
    bought=st.lists(
        st.builds(Bought, st.integers(0, 2**19 - 1), st.integers(0, HORIZON_WEEKS - 1)),
        max_size=MAX_BOUGHT,
    ).map(tuple),
    pending=st.lists(st.tuples(days, st.integers(0, 10**7)), max_size=1).map(tuple),
    expiring=st.lists(st.tuples(days, st.integers(0, 10**7)), max_size=MAX_EXPIRING).map(tuple),
)


@settings(max_examples=300)
@given(entries)
def test_an_entry_decodes_to_itself(entry):
    assert decode(encode(entry)) == entry


def test_a_return_takes_off_its_sales_week_and_the_lifetime_spend():
    entry = with_sale(AudienceEntry(), TODAY - timedelta(days=14), 20_000, "s1")
    entry = with_sale(entry, TODAY, 30_000, "s2")

    after = with_return(entry, TODAY - timedelta(days=14), 5_000)

    assert after.spent == 45_000
    assert {w.offset: w.reais for w in after.weeks} == {0: 300, 2: 150}
    assert after.visits == 2


def test_names_are_tagged_whatever_their_case_and_accents():
    assert category_tag("Acessórios ") == category_tag("acessorios")
    assert category_tag("roupas") != brand_tag("roupas")
    assert store_tag("s1") != store_tag("S1")  # store ids are ids, not names


def test_refreshing_takes_contact_birthday_and_points_from_the_customer():
    now = datetime(2026, 11, 28, 15, tzinfo=UTC)

    def lot(n: int, pending_days: int, expiry_days: int, remaining: int) -> Lot:
        return Lot(
            f"l{n}",
            "s1",
            f"v{n}",
            now - timedelta(days=1),
            now + timedelta(days=expiry_days),
            now + timedelta(days=pending_days),
            remaining,
            remaining,
        )

    customer = Customer(
        tenant_id="t",
        customer_id="c1",
        phone="+5511987654321",
        email="maria@example.com",
        birthday="1990-12-31",
        lots=(lot(1, -5, 30, 100), lot(2, 3, 60, 40), lot(3, 5, 60, 60), lot(4, -1, 10, 7)),
        balance=207,
        purchase_stores=frozenset({"s1", "s2"}),
        created_at=now - timedelta(days=90),
        sms_opted_out_at=now,
    )

    entry = refreshed(AudienceEntry(), customer, now, UTC)

    assert entry.reach == {"email", "whatsapp"}
    assert entry.birthday == (12, 31)
    assert entry.balance == 207
    assert entry.pending == ((date(2026, 12, 3), 100),)
    assert entry.available(TODAY) == 107
    assert entry.available(date(2026, 12, 3)) == 207
    assert entry.expiring == (
        (date(2026, 12, 8), 7),
        (date(2026, 12, 28), 100),
        (date(2027, 1, 27), 100),
    )
    assert entry.joined_on == date(2026, 8, 30)
    assert set(entry.stores) == {store_tag("s1"), store_tag("s2")}
