"""`bemtevi user`: the dashboard's users (Cognito), invited, listed, disabled and given a
role by ops. An invitation e-mails a temporary password (on the local stack it is also
printed, once)."""

from __future__ import annotations

import click

from cli.commands import Group, action, option

users = Group("user", help="usuários do painel", short_help="usuários do painel")
TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")
EMAIL = option("--email", required=True, metavar="EMAIL", help="o e-mail do usuário")
ROLE = option(
    "--role",
    required=True,
    type=click.Choice(["rede", "loja", "vendedor"]),
    help="rede: administra a rede toda; loja: gerente das lojas dadas; vendedor",
)
STORES = option(
    "--store",
    "stores",
    multiple=True,
    metavar="LOJA",
    help="loja do gerente ou vendedor (repita para várias)",
)
ROLE_NAMES = {"rede": "administrador da rede", "loja": "gerente de loja", "vendedor": "vendedor"}
STATUS_NAMES = {
    "FORCE_CHANGE_PASSWORD": "aguardando o primeiro acesso",
    "CONFIRMED": "ativo",
    "RESET_REQUIRED": "precisa redefinir a senha",
}


def add_commands(root: click.Group) -> None:
    root.add_command(users)


def _describe(user: dict) -> str:
    stores = f" ({', '.join(user['stores'])})" if user["stores"] else ""
    state = STATUS_NAMES.get(user["status"], user["status"]) if user["enabled"] else "desativado"
    return f"{user['email']}: {ROLE_NAMES[user['role']]}{stores}, {state}"


def _show_invite(user: dict) -> str:
    lines = [
        f"Convite enviado por e-mail para {user['email']} (rede {user['tenant']}).",
        "  " + _describe(user),
    ]
    if "temporary_password" in user:
        lines.append(f"  senha temporária: {user['temporary_password']}")
        lines.append("  Ela aparece só agora; no primeiro acesso o painel pede uma senha nova.")
    return "\n".join(lines)


def _show_users(found: list[dict]) -> str:
    return "\n".join(_describe(user) for user in found) or "Nenhum usuário."


@action(users, "invite", "convida um usuário para o painel", _show_invite)
@TENANT
@EMAIL
@ROLE
@STORES
def _invite(tenant: str, email: str, role: str, stores: tuple[str, ...]) -> dict:
    from functions.dashboard import users as staff

    return staff.invite(tenant, email, role, stores)


@action(users, "list", "lista os usuários do painel da rede", _show_users)
@TENANT
def _list(tenant: str) -> list[dict]:
    from functions.dashboard import users as staff

    return staff.list_users(tenant)


@action(users, "disable", "desativa um usuário (ele não entra mais)", _describe)
@TENANT
@EMAIL
def _disable(tenant: str, email: str) -> dict:
    from functions.dashboard import users as staff

    return staff.disable(tenant, email)


@action(users, "set-role", "muda o papel e as lojas de um usuário", _describe)
@TENANT
@EMAIL
@ROLE
@STORES
def _set_role(tenant: str, email: str, role: str, stores: tuple[str, ...]) -> dict:
    from functions.dashboard import users as staff

    return staff.set_role(tenant, email, role, stores)
