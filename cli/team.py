"""`bemtevi seller`: the sales team of each store, by the POS's seller code."""

from __future__ import annotations

import click

from cli.commands import Group, action, option

seller = Group("seller", help="vendedores das lojas", short_help="vendedores das lojas")
TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")
STORE = option("--store", required=True, metavar="LOJA", help="a loja (seu id)")
CODE = option("--code", required=True, metavar="CÓDIGO", help="o código do vendedor no PDV")


def add_commands(root: click.Group) -> None:
    root.add_command(seller)


def _describe(found: dict) -> str:
    state = "ativo" if found["active"] else "desativado"
    return f"{found['store']} {found['code']}: {found['name']} ({state})"


def _show_team(found: list[dict]) -> str:
    return "\n".join(_describe(one) for one in found) or "Nenhum vendedor."


@action(seller, "add", "cadastra um vendedor pelo código do PDV", _describe)
@TENANT
@STORE
@CODE
@option("--name", required=True, metavar="NOME", help="o nome do vendedor")
def _add(tenant: str, store: str, code: str, name: str) -> dict:
    from functions.team import sellers

    return sellers.add_seller(tenant, store, code, name)


@action(seller, "list", "lista os vendedores (de uma loja ou da rede)", _show_team)
@TENANT
@option("--store", metavar="LOJA", help="só os vendedores desta loja")
def _list(tenant: str, store: str | None) -> list[dict]:
    from functions.team import sellers

    return sellers.list_sellers(tenant, store)


@action(seller, "disable", "desativa um vendedor (seus clientes vão à lista da loja)", _describe)
@TENANT
@STORE
@CODE
def _disable(tenant: str, store: str, code: str) -> dict:
    from functions.team import sellers

    return sellers.disable_seller(tenant, store, code)
