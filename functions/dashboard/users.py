"""The dashboard's users, as ops manage them with `bemtevi user ...`: invite (a Cognito
user with a temporary password, which bemtevi e-mails itself, in Portuguese), list,
disable, set a role. Tenant, role and stores are attributes of the Cognito user, which
its tokens carry; loja and vendedor need existing stores of the tenant."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from bemtevi import settings
from bemtevi.channels import Message
from bemtevi.channels.email import SesEmail
from bemtevi.domain.messaging import MessagingRules
from bemtevi.domain.staff import new_temporary_password, valid_scope
from bemtevi.errors import Conflict, InvalidInput, NotFound
from bemtevi.observability import logger
from bemtevi.staff import StaffDirectory, StaffUser, UserExists, UserNotFound
from bemtevi.staff.cognito import CognitoStaff
from bemtevi.store import network

SHOWS_PASSWORD_STAGES = {"local", "test"}
"""Where the invite also prints the temporary password (the emulated AWS has no inbox)."""


def directory() -> StaffDirectory:
    return CognitoStaff()


def invite(tenant_id: str, email: str, role: str, stores: tuple[str, ...]) -> dict:
    address = _valid_email(email)
    checked_role, checked_stores = valid_scope(role, stores, _store_ids(tenant_id))
    password = new_temporary_password()
    try:
        user = directory().create_user(tenant_id, address, checked_role, checked_stores, password)
    except UserExists:
        raise Conflict("user_exists", "Já existe um usuário com esse e-mail.", "email") from None
    SesEmail(MessagingRules().email_source).send(_invitation(address, password))
    logger.info("dashboard user invited", extra={"tenant": tenant_id, "role": checked_role.value})
    view = user_view(user)
    if settings.stage() in SHOWS_PASSWORD_STAGES:
        view["temporary_password"] = password
    return view


def list_users(tenant_id: str) -> list[dict]:
    network.get_tenant(tenant_id)
    return [user_view(user) for user in directory().list_users(tenant_id)]


def disable(tenant_id: str, email: str) -> dict:
    user = _user_of(tenant_id, email)
    directory().disable_user(user.email)
    return {**user_view(user), "enabled": False}


def set_role(tenant_id: str, email: str, role: str, stores: tuple[str, ...]) -> dict:
    user = _user_of(tenant_id, email)
    checked_role, checked_stores = valid_scope(role, stores, _store_ids(tenant_id))
    directory().set_role(user.email, checked_role, checked_stores)
    return {**user_view(user), "role": checked_role.value, "stores": list(checked_stores)}


def user_view(user: StaffUser) -> dict:
    return {
        "email": user.email,
        "tenant": user.tenant_id,
        "role": user.role.value,
        "stores": list(user.stores),
        "enabled": user.enabled,
        "status": user.status,
    }


def _user_of(tenant_id: str, email: str) -> StaffUser:
    """The user of this tenant (another tenant's user reads as not found)."""
    try:
        user = directory().get_user(_valid_email(email))
    except UserNotFound:
        user = None
    if user is None or user.tenant_id != tenant_id:
        raise NotFound("user_not_found", "Usuário não encontrado nesta rede.", "email")
    return user


def _store_ids(tenant_id: str) -> list[str]:
    network.get_tenant(tenant_id)
    return [store.store_id for store in network.list_stores(tenant_id)]


def _valid_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise InvalidInput("invalid_email", "E-mail inválido.", "email") from None


def _invitation(email: str, password: str) -> Message:
    url = f"{settings.public_url()}/painel/entrar"
    text = (
        "Olá!\n\n"
        "Você foi convidado para o painel bemtevi da sua rede.\n\n"
        f"Endereço: {url}\n"
        f"E-mail: {email}\n"
        f"Senha temporária: {password}\n\n"
        "No primeiro acesso, o painel pede uma senha nova, só sua. "
        "A senha temporária vale por 7 dias.\n\n"
        "Se você não esperava este convite, ignore esta mensagem."
    )
    return Message(to=email, text=text, subject="Seu acesso ao painel bemtevi")
