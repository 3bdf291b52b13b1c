"""`bemtevi seller`: the sales team of each store, by the POS's seller code."""

from __future__ import annotations

from datetime import date

import click

from cli.commands import DAY, Group, action, option

seller = Group("seller", help="vendedores das lojas", short_help="vendedores das lojas")
TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")
STORE = option("--store", required=True, metavar="LOJA", help="a loja (seu id)")
CODE = option("--code", required=True, metavar="CÓDIGO", help="o código do vendedor no PDV")


def add_commands(root: click.Group) -> None:
    root.add_command(seller)
    root.add_command(tasks_group)


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


tasks_group = Group(
    "tasks", help="listas de contatos dos vendedores", short_help="listas de contatos"
)


def _show_run(result: dict) -> str:
    return (
        f"Listas de {result['day']} da rede {result['tenant']}: {result['made']} contatos "
        f"novos, {result['already']} já estavam nas listas ({result['read']} clientes lidos)."
    )


def _show_items(items: list[dict]) -> str:
    lines = [
        f"{i['first_name']}: {i['reason_text']}"
        + (f" ({i['notice']})" if i["notice"] else "")
        + (f", feito: {i['outcome']}" if i["outcome"] else "")
        for i in items
    ]
    return "\n".join(lines) or "Nenhum contato na lista."


@action(tasks_group, "run", "monta as listas de contatos do dia", _show_run)
@TENANT
@option("--date", "on", type=DAY, required=True, help="o dia (fuso da rede)")
def _tasks_run(tenant: str, on: date) -> dict:
    from functions.team import tasks

    return tasks.run(tenant, on)


@action(tasks_group, "list", "mostra a lista de um vendedor (do dia e atrasados)", _show_items)
@TENANT
@STORE
@option("--seller", required=True, metavar="CÓDIGO", help="o código do vendedor (_loja: a loja)")
@option("--date", "on", type=DAY, required=True, help="o dia (fuso da rede)")
def _tasks_list(tenant: str, store: str, seller: str, on: date) -> list[dict]:
    from functions.team import tasks

    return tasks.list_for(tenant, store, seller, on)
