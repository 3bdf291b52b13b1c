"""The Click plumbing every `bemtevi` command shares: Portuguese placeholders, the
`--json` switch, and how a result or an error is printed.

A command is a plain function that returns the result (a dict or a list); `action`
registers it under a group and prints what it returns: for a person through its `show`
function (Portuguese), for a script as JSON with the stable English keys and codes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import click

from bemtevi.errors import BemteviError
from cli import click_pt

click_pt.install()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
# what Click would print as TEXT, INTEGER...
METAVARS = {"text": "TEXTO", "integer": "NÚMERO"}


class Command(click.Command):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPÇÕES]")
        kwargs.setdefault("context_settings", CONTEXT)
        super().__init__(*args, **kwargs)


class Group(click.Group):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPÇÕES]")
        kwargs.setdefault("subcommand_metavar", "COMANDO [ARGUMENTOS]...")
        kwargs.setdefault("context_settings", CONTEXT)
        super().__init__(*args, **kwargs)


class Option(click.Option):
    """An option whose value's placeholder reads in Portuguese."""

    def make_metavar(self, ctx: click.Context) -> str:
        if self.metavar is None and self.type.name in METAVARS:
            return METAVARS[self.type.name]
        return super().make_metavar(ctx)


option = partial(click.option, cls=Option)


class Day(click.ParamType):
    name = "data"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "AAAA-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail("use AAAA-MM-DD", param, ctx)


class MonthRange(click.ParamType):
    name = "meses"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "AAAA-MM..AAAA-MM"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, str]:
        from bemtevi.domain.months import parsed_range

        if isinstance(value, tuple):
            return value
        try:
            return parsed_range(value, "range")
        except BemteviError as error:
            self.fail(error.message, param, ctx)


DAY, MONTHS = Day(), MonthRange()


def group(parent: click.Group, name: str, summary: str) -> click.Group:
    """A group of commands (`bemtevi store ...`)."""
    child = Group(name, help=summary, short_help=summary)
    parent.add_command(child)
    return child


def action(
    parent: click.Group, name: str, summary: str, show: Callable[[Any], str], details: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function (and the `option`s above it) as `name` under
    `parent`, with `--json`; a person reads its result through `show`."""
    text = f"{summary}\n\n{details}" if details else summary

    def register(run: Callable[..., Any]) -> Callable[..., Any]:
        params = [
            *reversed(getattr(run, "__click_params__", [])),
            Option(
                ["--json", "as_json"],
                is_flag=True,
                help="saída em JSON, para outros programas (chaves e códigos estáveis, em inglês)",
            ),
        ]

        def callback(as_json: bool, **options: Any) -> None:
            answer(run, options, show, as_json)

        parent.add_command(
            Command(name, callback=callback, params=params, help=text, short_help=summary)
        )
        return run

    return register


def answer(
    run: Callable[..., Any], options: dict[str, Any], show: Callable[[Any], str], as_json: bool
) -> None:
    """Run the command and print its result, or its error on stderr (exit code 1)."""
    try:
        result = run(**options)
    except BemteviError as error:
        if as_json:
            click.echo(json.dumps(error.as_body(), ensure_ascii=False), err=True)
        else:
            click.echo(f"Erro: {error.message}", err=True)
        raise click.exceptions.Exit(1) from None
    click.echo(json.dumps(result, ensure_ascii=False, indent=2) if as_json else show(result))
