"""/painel/lojas (network admins): the network's stores with their key and when it last
signed a request; add and rename a store; rotate a store's POS secret (the new one shown
once, with the signing instructions) and retire the old one. Every change goes through
the functions `bemtevi store ...` calls, so a value is refused with the same message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bemtevi import settings
from bemtevi.domain.staff import Manager
from bemtevi.security import signing
from bemtevi.store import network
from functions.dashboard.forms import Errors, form_page, submitted
from functions.dashboard.session import Visit
from functions.dashboard.signin import redirect
from functions.network import stores
from functions.portal.pages import Page

HREF = "/painel/lojas"
NOTICES = {
    "renomeada": "Loja renomeada.",
    "aposentado": "Segredo antigo aposentado: só o mais novo vale agora.",
}


def stores_page(
    manager: Manager, visit: Visit, status: int = 200, errors: Errors | None = None
) -> Page:
    """The list with its forms; after a refusal, the refused form re-filled (`alvo` names
    the store whose rename form it was, empty for the new store's)."""
    zone = ZoneInfo(_timezone(manager))
    rows = [
        {**store, "visto": _when(store["last_seen"], zone)}
        for store in stores.list_stores(manager.tenant_id)
    ]
    return form_page(
        manager,
        visit,
        HREF,
        "painel/lojas.html",
        "Lojas e credenciais",
        status,
        lojas=rows,
        erros=errors or {},
        form=dict(visit.form) if errors else {},
        alvo=visit.form.get("loja", "") if errors else None,
        aviso=NOTICES.get(visit.query.get("aviso", ""), ""),
        cache_segundos=int(settings.config_cache_seconds()),
    )


def add_store(manager: Manager, visit: Visit) -> Page:
    store_id, name = visit.form.get("id", ""), visit.form.get("name", "")
    return _changed(
        manager,
        visit,
        lambda: stores.add_store(manager.tenant_id, store_id, name),
        f"Loja {store_id} criada",
        lambda added: _secret_page(manager, visit, added, True),
    )


def rename_store(manager: Manager, visit: Visit) -> Page:
    store_id, name = visit.form.get("loja", ""), visit.form.get("name", "")
    return _changed(
        manager,
        visit,
        lambda: stores.rename_store(manager.tenant_id, store_id, name),
        f"Loja {store_id} renomeada",
        lambda _: redirect(f"{HREF}?aviso=renomeada"),
    )


def rotate_secret(manager: Manager, visit: Visit) -> Page:
    store_id = visit.form.get("loja", "")
    return _changed(
        manager,
        visit,
        lambda: stores.rotate_store_secret(manager.tenant_id, store_id),
        f"Novo segredo da loja {store_id}",
        lambda rotated: _secret_page(manager, visit, rotated, False),
    )


def retire_old_secret(manager: Manager, visit: Visit) -> Page:
    store_id = visit.form.get("loja", "")
    return _changed(
        manager,
        visit,
        lambda: stores.retire_old_store_secret(manager.tenant_id, store_id),
        f"Segredo antigo da loja {store_id} aposentado",
        lambda _: redirect(f"{HREF}?aviso=aposentado"),
    )


def _changed(
    manager: Manager,
    visit: Visit,
    change: Callable[[], dict],
    detail: str,
    answer: Callable[[dict], Page],
) -> Page:
    """`answer` to what `change` returned; a refusal shows the list and its forms again."""
    return submitted(
        manager,
        visit,
        change,
        detail,
        lambda status, errors: stores_page(manager, visit, status, errors),
        answer,
    )


def _secret_page(manager: Manager, visit: Visit, store: dict, new_store: bool) -> Page:
    """The secret, this once (never stored in clear nor logged; the page is no-store),
    and how to sign with it."""
    return form_page(
        manager,
        visit,
        HREF,
        "painel/segredo.html",
        "Loja criada" if new_store else "Novo segredo",
        loja=store,
        nova=new_store,
        cabecalhos=(signing.KEY_HEADER, signing.TIMESTAMP_HEADER, signing.SIGNATURE_HEADER),
        url=settings.public_url(),
        cache_segundos=int(settings.config_cache_seconds()),
    )


def _timezone(manager: Manager) -> str:
    return network.get_tenant(manager.tenant_id).timezone


def _when(iso: str | None, zone: ZoneInfo) -> str:
    if not iso:
        return "nenhum registrado"
    return datetime.fromisoformat(iso).astimezone(zone).strftime("%d/%m/%Y %H:%M")
