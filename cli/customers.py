"""`bemtevi customer`: a customer's points adjusted by hand (by the same function as the
dashboard's customer page)."""

from __future__ import annotations

import click

from cli.commands import Group, action, option

customers = Group("customer", help="clientes", short_help="clientes")
TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")


def add_commands(root: click.Group) -> None:
    root.add_command(customers)


def _show_adjustment(answer: dict) -> str:
    points = answer["points"]
    moved = f"{'+' if points > 0 else ''}{points} ponto{'s' if abs(points) != 1 else ''}"
    first = (
        "Este ajuste já tinha sido registrado; nada mudou."
        if answer["replayed"]
        else f"Ajuste registrado: {moved} (loja {answer['store_id']})."
    )
    lines = [
        first,
        f"  motivo: {answer['reason']}",
        f"  saldo: {answer['balance']} pontos; disponíveis para troca: {answer['available']}",
        f"  identificador do ajuste: {answer['adjustment_id']}",
    ]
    if answer["debt"]:
        lines.append(f"  dívida de pontos: {answer['debt']}")
    return "\n".join(lines)


@action(
    customers,
    "adjust",
    "ajusta os pontos de um cliente (+ ou -), com motivo",
    _show_adjustment,
    "Repetir o comando com o mesmo --id não ajusta de novo.",
)
@TENANT
@option("--cpf", required=True, metavar="CPF", help="o CPF do cliente")
@option("--points", required=True, metavar="PONTOS", help="ex.: 50 ou -20")
@option("--reason", required=True, metavar="TEXTO", help="o motivo (de 3 a 200 caracteres)")
@option("--store", required=True, metavar="LOJA", help="a loja de origem dos pontos (seu id)")
@option("--id", "adjustment_id", metavar="ID", help="identificador do ajuste (padrão: um novo)")
def _adjust(
    tenant: str, cpf: str, points: str, reason: str, store: str, adjustment_id: str | None
) -> dict:
    from functions.loyalty import adjustments

    customer_id = adjustments.customer_id_by_cpf(tenant, cpf)
    return adjustments.adjust_points(
        tenant,
        customer_id,
        points,
        reason,
        store,
        actor="linha de comando",
        adjustment_id=adjustment_id,
    )


def _show_export(document: dict) -> str:
    import json

    return json.dumps(document, ensure_ascii=False, indent=2)


@action(
    customers,
    "export",
    "todos os dados de um cliente (LGPD), em JSON",
    _show_export,
)
@TENANT
@option("--cpf", required=True, metavar="CPF", help="o CPF do cliente")
def _export(tenant: str, cpf: str) -> dict:
    from functions.privacy import rights

    return rights.export(tenant, rights.customer_id_by_cpf(tenant, cpf))


def _show_erasure(receipt: dict) -> str:
    items = ", ".join(f"{kind}: {count}" for kind, count in receipt["itens"].items())
    return "\n".join(
        [
            "Dados pessoais apagados (LGPD). Vendas e extrato seguem sob o id pseudônimo.",
            f"  cliente (id pseudônimo): {receipt['cliente']}",
            f"  apagado em: {receipt['apagado_em']}",
            f"  itens: {items}",
        ]
    )


@action(
    customers,
    "erase",
    "apaga os dados pessoais de um cliente (LGPD), na hora",
    _show_erasure,
    "Sem --yes nada é apagado.",
)
@TENANT
@option("--cpf", required=True, metavar="CPF", help="o CPF do cliente")
@click.option("--yes", "confirmed", is_flag=True, help="confirma a exclusão")
def _erase(tenant: str, cpf: str, confirmed: bool) -> dict:
    from bemtevi.errors import InvalidInput
    from functions.privacy import rights

    if not confirmed:
        raise InvalidInput("confirmation_required", "Confirme com --yes: nada foi apagado.", "yes")
    return rights.erase(tenant, rights.customer_id_by_cpf(tenant, cpf))
