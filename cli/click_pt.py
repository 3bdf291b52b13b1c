"""Click's own words (usage, help headings, usage errors) in Brazilian Portuguese.

Click marks its strings with `gettext` but reads them through the process-wide default
domain, chosen by the LANG/LANGUAGE of whoever runs the command. Rather than depend on the
machine's locale, `install()` points the `_` and `ngettext` names of Click's modules at
this catalogue: the command reads the same on any machine. A string missing here falls
back to Click's English (tests/integration/test_cli.py checks what a person can meet).
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

CATALOGUE = {
    "Usage:": "Uso:",
    "Options": "Opções",
    "Commands": "Comandos",
    "Positional arguments": "Argumentos",
    "Show this message and exit.": "Mostra esta ajuda e sai.",
    "Show the version and exit.": "Mostra a versão e sai.",
    "Error: {message}": "Erro: {message}",
    "Try '{command} {option}' for help.": "Veja '{command} {option}' para ajuda.",
    "Missing command.": "Falta o comando.",
    "Missing argument": "Falta o argumento",
    "Missing option": "Falta a opção",
    "Missing parameter": "Falta o parâmetro",
    "Missing {param_type}": "Falta o parâmetro",
    "Missing parameter: {param_name}": "Falta o parâmetro: {param_name}",
    "No such option {name!r}.": "Opção desconhecida: {name!r}.",
    "No such command {name!r}.": "Comando desconhecido: {name!r}.",
    "Invalid value for {param_hint}: {message}": "Valor inválido em {param_hint}: {message}",
    "Invalid value: {message}": "Valor inválido: {message}",
    "Option {name!r} does not take a value.": "A opção {name!r} não leva valor.",
    "Argument {name!r} takes {nargs} values.": "O argumento {name!r} leva {nargs} valores.",
    "Invalid start character for option ({option})": "Opção mal escrita ({option})",
    "{value!r} is not a valid {number_type}.": "{value!r} não é um número válido.",
    "{value} is not in the range {range}.": "{value} está fora do intervalo {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} não é sim nem não. Valores aceitos: {states}"
    ),
    "Choose from:\n\t{choices}": "Escolha entre:\n\t{choices}",
    "Value must be an iterable.": "O valor deve ser uma lista.",
    "Aborted!": "Interrompido.",
    "required": "obrigatória",
    "default: {default}": "padrão: {default}",
    "deprecated": "obsoleta",
    "(dynamic)": "(calculado)",
    "env var: {var}": "variável de ambiente: {var}",
    "unknown error": "erro desconhecido",
    "Could not open file {filename!r}: {message}": (
        "Não foi possível abrir o arquivo {filename!r}: {message}"
    ),
}
PLURALS = {
    "Got unexpected extra argument ({args})": (
        "Argumento a mais, inesperado: ({args})",
        "Argumentos a mais, inesperados: ({args})",
    ),
    "Option {name!r} requires an argument.": (
        "A opção {name!r} precisa de um valor.",
        "A opção {name!r} precisa de {nargs} valores.",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} não é {choice}.",
        "{value!r} não é uma das opções: {choices}.",
    ),
    "Did you mean {possibility}?": ("Quis dizer {possibility}?", "(Quis dizer {possibilities}?)"),
    "Takes {nargs} values but 1 was given.": (
        "Leva {nargs} valores, mas recebeu 1.",
        "Leva {nargs} valores, mas recebeu {len}.",
    ),
}
MODULES = (
    click.core,
    click.decorators,
    click.exceptions,
    click.formatting,
    click.parser,
    click.termui,
    click.types,
    click.utils,
)


def gettext(message: str) -> str:
    return CATALOGUE.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        one, many = PLURALS[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


def install() -> None:
    """Make Click speak Portuguese (idempotent)."""
    for module in MODULES:
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
