"""Every /painel route of the app (discovered from its routes, so a route added later is
covered) × every kind of visitor: the expected status, and no out-of-scope store's name
or tenant's people in any body. A guarded view carries the roles it was registered with
(`@signed_in(roles)`, from the section table); a route without them must be one of the
open sign-in pages below."""

from __future__ import annotations

import pytest
from chalice.test import Client

from app import app
from bemtevi.domain.staff import Role
from chalicelib.staff_session import ROLES_ATTRIBUTE
from tests.integration import dashboard_people as people

OPEN = {
    ("/painel/entrar", "GET"),
    ("/painel/entrar", "POST"),
    ("/painel/nova-senha", "POST"),
    ("/painel/esqueci", "GET"),
    ("/painel/esqueci", "POST"),
    ("/painel/esqueci/confirmar", "POST"),
}
CONCRETE = {
    "{name}": "nada-aqui",
    "{customer_id}": "cnenhumcliente",
    "{campaign_id}": "cnenhuma",
    "{verb}": "pausar",
}
"""URI parameters: a section without a page."""
SUCCESS = {
    ("/painel/{name}", "GET"): 404,
    ("/painel/compensacao.csv", "GET"): 409,
    ("/painel/clientes/{customer_id}", "GET"): 404,
    ("/painel/campanhas/{campaign_id}", "GET"): 404,
}
"""What an allowed visitor gets where it is not 200 (POSTs below carry no CSRF token: 403;
the network of this test has no closed month to export: 409; nor a customer: 404)."""
ROLES = {
    "rede": Role.NETWORK,
    "loja": Role.STORE,
    "vendedor": Role.SELLER,
    "outra_rede": Role.NETWORK,
}
REFUSED_TOKENS = ("signed_out", "expired", "other_pool", "other_client", "tampered")
VISITORS = (*ROLES, *REFUSED_TOKENS)
OUT_OF_SCOPE = {
    "rede": ["Loja Gama", "admin@rede-b"],
    "loja": ["Loja Beta", "Loja Gama", "a***@rede-b"],
    "vendedor": ["Loja Beta", "Loja Gama"],
    "outra_rede": ["Loja Alfa", "Loja Beta", "@rede-a.com.br"],
}
EVERY_STORE = ["Loja Alfa", "Loja Beta", "Loja Gama"]
NETWORK_ONLY = (
    "/painel/lojas",
    "/painel/programa",
    "/painel/auditoria",
    "/painel/compensacao.csv",
    "/painel/textos",
    "/painel/clientes/{customer_id}/ajuste",
    "/painel/beneficios",
    "/painel/catalogo",
)
"""Written here, not read from the section table: a route of these registered for more
roles by mistake must fail this test, whatever the table says."""


def painel_routes() -> list[tuple[str, str, frozenset[Role] | None]]:
    found = []
    for path, methods in app.routes.items():
        if not path.startswith("/painel"):
            continue
        for method, entry in methods.items():
            found.append((path, method, getattr(entry.view_function, ROLES_ATTRIBUTE, None)))
    return sorted(found, key=lambda route: (route[0], route[1]))


def test_every_painel_route_is_guarded_or_an_open_sign_in_page():
    routes = painel_routes()
    assert len(routes) >= 11
    unguarded = {(path, method) for path, method, roles in routes if roles is None}
    assert unguarded == OPEN


def test_the_network_admin_pages_are_guarded_for_the_network_admin_alone():
    guarded = [(path, roles) for path, _, roles in painel_routes() if path.startswith(NETWORK_ONLY)]
    assert len(guarded) >= 7
    assert all(roles == {Role.NETWORK} for _, roles in guarded), guarded


def expected(path: str, method: str, roles: frozenset[Role] | None, visitor: str) -> int:
    if roles is None:
        return 200 if method == "GET" else 403
    if visitor in REFUSED_TOKENS:
        return 302
    if ROLES[visitor] not in roles:
        return 403
    if method == "POST":
        return 403
    return SUCCESS.get((path, method), 200)


@pytest.fixture
def cookies(aws) -> dict[str, str]:
    """The Cookie header of each visitor."""
    people.create_network()
    signed = {who: people.sign_in(who) for who in ROLES}
    admin = signed["rede"]
    return {
        **{who: each.cookie() for who, each in signed.items()},
        "signed_out": "",
        "expired": admin.cookie(people.expired(admin.id_token), refresh=False),
        "other_pool": admin.cookie(people.token_of_another_pool()),
        "other_client": admin.cookie(people.token_of_another_client("rede")),
        "tampered": admin.cookie(people.tampered(admin.id_token)),
    }


def test_every_route_answers_each_visitor_as_the_table_says(cookies):
    seen = []
    with Client(app) as client:
        for path, method, roles in painel_routes():
            concrete = path
            for parameter, value in CONCRETE.items():
                concrete = concrete.replace(parameter, value)
            for visitor in VISITORS:
                headers = {"cookie": cookies[visitor]}
                if method == "POST":
                    headers["content-type"] = people.FORM
                response = client.http.request(method, concrete, headers=headers, body=b"")
                want = expected(path, method, roles, visitor)
                seen.append((concrete, method, visitor, response.status_code))
                assert response.status_code == want, (concrete, method, visitor)
                body = response.body.decode()
                if want == 302:
                    assert response.headers["Location"].startswith("/painel/entrar")
                for leak in OUT_OF_SCOPE.get(visitor, EVERY_STORE):
                    assert leak not in body, (concrete, method, visitor, leak)
    assert {visitor for _, _, visitor, status in seen if status == 200} >= set(ROLES)


def test_a_store_manager_sees_their_store_and_a_network_admin_every_store(cookies):
    with Client(app) as client:
        mine = client.http.get("/painel", headers={"cookie": cookies["loja"]}).body.decode()
        network = client.http.get("/painel", headers={"cookie": cookies["rede"]}).body.decode()
    assert "Loja Alfa" in mine
    assert "Loja Beta" not in mine
    assert "Loja Alfa" in network
    assert "Loja Beta" in network
    assert "Auditoria" in network
    assert "Auditoria" not in mine
