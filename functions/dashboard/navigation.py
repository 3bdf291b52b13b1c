"""The dashboard's sections and who sees each: navigation shows only what the role may
open, and the routes authorise with the same table."""

from __future__ import annotations

from dataclasses import dataclass

from bemtevi.domain.staff import MANAGERS, Manager, Role


@dataclass(frozen=True)
class Section:
    label: str
    href: str
    roles: frozenset[Role]


SECTIONS = (
    Section("Início", "/painel", MANAGERS),
    Section("Comparar", "/painel/comparar", MANAGERS),
    Section("Compensação", "/painel/compensacao", MANAGERS),
    Section("Mensagens", "/painel/mensagens", MANAGERS),
    Section("Campanhas", "/painel/campanhas", MANAGERS),
    Section("Clientes", "/painel/clientes", MANAGERS),
    Section("Lojas", "/painel/lojas", frozenset({Role.NETWORK})),
    Section("Programa", "/painel/programa", frozenset({Role.NETWORK})),
    Section("Benefícios", "/painel/beneficios", frozenset({Role.NETWORK})),
    Section("Catálogo", "/painel/catalogo", frozenset({Role.NETWORK})),
    Section("Textos", "/painel/textos", frozenset({Role.NETWORK})),
    Section("Auditoria", "/painel/auditoria", frozenset({Role.NETWORK})),
    Section("Sair", "/painel/sair", frozenset(Role)),
)


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    current: bool


def nav_for(manager: Manager, current_href: str) -> list[NavItem]:
    """The sections `manager` may open, the one at `current_href` marked."""
    return [
        NavItem(section.label, section.href, section.href == current_href)
        for section in SECTIONS
        if manager.role in section.roles
    ]


def roles_for(href: str) -> frozenset[Role]:
    """Who may open the section at `href` (the table the routes authorise with)."""
    for section in SECTIONS:
        if section.href == href:
            return section.roles
    raise KeyError(href)
