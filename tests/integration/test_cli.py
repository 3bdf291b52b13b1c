"""The `bemtevi` console command: tenants, stores, secrets; readable or --json."""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import _parser, main

BEMTEVI = Path(sys.executable).with_name("bemtevi")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tenant_and_stores_from_the_command_line(aws, capsys):
    code, out, _ = run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê & Cia")
    assert code == 0
    assert "bebe" in out

    code, out, _ = run(
        capsys, "store", "add", "--tenant", "bebe", "--id", "centro", "--name", "Centro", "--json"
    )
    created = json.loads(out)
    assert code == 0
    assert created["key_id"].startswith("bk_")
    assert created["secret"].startswith("bs_")

    code, out, _ = run(capsys, "store", "list", "--tenant", "bebe", "--json")
    listed = json.loads(out)
    assert [(s["id"], s["key_id"]) for s in listed] == [("centro", created["key_id"])]
    assert "secret" not in listed[0]

    code, out, _ = run(capsys, "store", "list", "--tenant", "bebe")
    assert "centro" in out
    assert created["secret"] not in out


def test_rotation_from_the_command_line(aws, capsys):
    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    _, out, _ = run(capsys, "store", "add", "--tenant", "bebe", "--id", "centro", "--name", "C")
    code, out, _ = run(
        capsys, "store", "rotate-secret", "--tenant", "bebe", "--id", "centro", "--json"
    )
    rotated = json.loads(out)
    assert code == 0
    assert rotated["secrets_active"] == 2
    assert rotated["secret"].startswith("bs_")
    code, out, _ = run(
        capsys, "store", "rotate-secret", "--tenant", "bebe", "--id", "centro", "--retire-old"
    )
    assert code == 0
    assert "Só o segredo mais novo vale agora." in out


def test_errors_name_the_problem_and_exit_1(aws, capsys):
    code, _, err = run(capsys, "tenant", "create", "--id", "Rede Nova!", "--name", "X")
    assert code == 1
    assert "invalid_id" in err
    code, _, err = run(
        capsys, "store", "add", "--tenant", "nada", "--id", "a", "--name", "A", "--json"
    )
    assert code == 1
    assert json.loads(err)["error"]["code"] == "tenant_not_found"
    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    code, _, err = run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    assert (code, "tenant_exists" in err) == (1, True)
    run(capsys, "store", "add", "--tenant", "bebe", "--id", "a", "--name", "A")
    code, _, err = run(capsys, "store", "add", "--tenant", "bebe", "--id", "a", "--name", "B")
    assert (code, "store_exists" in err) == (1, True)
    code, _, err = run(
        capsys, "tenant", "create", "--id", "x", "--name", "X", "--timezone", "Mars/Olympus"
    )
    assert (code, "invalid_timezone" in err) == (1, True)


def test_the_installed_command_talks_to_the_configured_endpoint(aws):
    result = subprocess.run(
        [BEMTEVI, "tenant", "create", "--id", "sub", "--name", "Rede Sub", "--json"],
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout)["name"] == "Rede Sub"


def test_program_rules_from_the_command_line(aws, capsys):
    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    code, out, _ = run(
        capsys,
        "program",
        "set",
        "--tenant",
        "bebe",
        "--points-per-real",
        "2,5",
        "--validity-days",
        "365",
        "--pending-days",
        "7",
        "--store-rate",
        "centro=3",
        "--category-multiplier",
        "roupas=2",
        "--json",
    )
    assert code == 0
    assert json.loads(out) == {
        "tenant": "bebe",
        "points_per_real": "2,5",
        "validity_days": 365,
        "pending_days": 7,
        "store_rates": {"centro": "3"},
        "category_multipliers": {"roupas": "2"},
    }
    code, out, _ = run(capsys, "program", "show", "--tenant", "bebe")
    assert "2,5 ponto(s) por R$ 1,00" in out
    code, _, err = run(capsys, "program", "set", "--tenant", "bebe", "--store-rate", "centro")
    assert (code, "invalid_pair" in err) == (1, True)


def test_benefits_and_products_from_the_command_line(aws, capsys):
    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    run(capsys, "store", "add", "--tenant", "bebe", "--id", "centro", "--name", "Centro")
    code, out, _ = run(
        capsys,
        "product",
        "add",
        "--tenant",
        "bebe",
        "--sku",
        "MAMA-1",
        "--name",
        "Mamadeira",
        "--price",
        "79,90",
        "--cost",
        "31,00",
    )
    assert code == 0
    assert "custo R$" in out
    code, out, _ = run(
        capsys,
        "benefit",
        "add",
        "--tenant",
        "bebe",
        "--id",
        "dez",
        "--description",
        "R$ 10",
        "--points",
        "100",
        "--discount",
        "10,00",
        "--minimum-purchase",
        "50,00",
        "--store",
        "centro",
        "--json",
    )
    added = json.loads(out)
    assert (code, added["value"], added["minimum_purchase"], added["stores"]) == (
        0,
        1000,
        5000,
        ["centro"],
    )
    code, out, _ = run(
        capsys,
        "benefit",
        "add",
        "--tenant",
        "bebe",
        "--id",
        "mamadeira",
        "--description",
        "M",
        "--points",
        "300",
        "--product",
        "MAMA-1",
    )
    assert "produto MAMA-1" in out
    code, out, _ = run(capsys, "benefit", "disable", "--tenant", "bebe", "--id", "dez")
    assert "[desativado]" in out
    code, out, _ = run(capsys, "benefit", "list", "--tenant", "bebe", "--json")
    assert [(b["id"], b["active"]) for b in json.loads(out)] == [
        ("dez", False),
        ("mamadeira", True),
    ]


def test_message_templates_from_the_command_line(aws, capsys):
    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")

    def template_set(kind: str, channel: str, *options: str) -> tuple[int, str, str]:
        return run(
            capsys, "template", "set", "--tenant", "bebe", "--kind", kind, "--channel", channel,
            *options,
        )  # fmt: skip

    text = "{{ rede }}: {{ nome }}, seus {{ pontos }} pontos valem {{ valor }}. {{ link }}"
    code, out, _ = template_set("reminder", "sms", "--text", text)
    assert (code, "reminder/sms (personalizado)" in out) == (0, True)
    code, _, err = template_set("reminder", "sms", "--text", "Oi {{ cpf }}")
    assert (code, "invalid_template" in err) == (1, True)
    # each kind has its variables: the points earned belong to the welcome
    code, _, err = template_set("reminder", "sms", "--text", "{{ pontos_ganhos }}")
    assert (code, "invalid_template" in err) == (1, True)
    assert "saldo" in err
    code, out, _ = template_set("welcome", "sms", "--text", "Ganhou {{ pontos_ganhos }}")
    assert code == 0
    assert "variáveis: nome, pontos_ganhos, saldo, valor, data_expiracao" in out
    options = ("--whatsapp-template", "boas_vindas", "--parameters", "nome,pontos")
    code, out, _ = template_set("welcome", "whatsapp", *options)
    assert "modelo boas_vindas (nome, pontos)" in out
    code, out, _ = run(capsys, "template", "list", "--tenant", "bebe", "--json")
    listed = {(t["kind"], t["channel"]): t for t in json.loads(out)}
    assert len(listed) == 9
    assert listed[("reminder", "sms")]["custom"] is True
    assert listed[("reminder", "email")]["custom"] is False
    assert listed[("welcome", "whatsapp")]["parameters"] == ["nome", "pontos"]


def test_messaging_jobs_and_the_message_log_from_the_command_line(shop, capsys):
    from datetime import timedelta

    from tests.integration.messaging import REMINDER_DAY, TENANT, buy

    code, out, _ = run(
        capsys, "messaging", "set", "--tenant", TENANT, "--channels", "email,sms",
        "--send-hours", "8-21", "--sms-number", "(11) 90000-1111",
    )  # fmt: skip
    assert code == 0
    assert "canais: email, sms" in out
    assert "horário de envio: 8h às 21h" in out
    assert "número de SMS: +5511900001111" in out
    assert "SMS: sem acentos (GSM-7, 160 caracteres por segmento)" in out
    code, _, err = run(capsys, "messaging", "set", "--tenant", TENANT, "--send-hours", "22-6")
    assert (code, "invalid_quiet_hours" in err) == (1, True)
    code, out, _ = run(capsys, "messaging", "set", "--tenant", TENANT, "--sms-accents")
    assert "SMS: com acentos (UCS-2, 70 caracteres por segmento)" in out
    assert "canais: email, sms" in out
    code, out, _ = run(capsys, "messaging", "show", "--tenant", TENANT, "--json")
    assert json.loads(out)["sms_accents"] is True
    code, out, _ = run(capsys, "messaging", "set", "--tenant", TENANT, "--no-sms-accents")
    assert "SMS: sem acentos" in out

    buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=2))
    day = REMINDER_DAY.date().isoformat()
    code, out, _ = run(capsys, "jobs", "run", "welcome", "--tenant", TENANT, "--date", day)
    assert (code, out.strip()) == (0, f"welcome em {TENANT}: concluída; sent: 1")
    code, out, _ = run(capsys, "jobs", "run", "reminder", "--tenant", TENANT, "--date", day)
    assert "sent: 1" in out
    code, out, _ = run(capsys, "jobs", "run", "reminder", "--tenant", TENANT, "--date", day)
    assert out.strip() == f"reminder em {TENANT}: concluída; nada a enviar"

    code, out, _ = run(
        capsys, "messages", "list", "--tenant", TENANT, "--date", day, "--days", "3", "--json"
    )
    rows = json.loads(out)
    # both sent at the run's moment: the day they went, in either order
    assert sorted((r["kind"], r["channel"], r["status"]) for r in rows) == [
        ("reminder", "sms", "sent"),
        ("welcome", "sms", "sent"),
    ]
    code, out, _ = run(capsys, "messages", "list", "--tenant", TENANT, "--date", day, "--days", "3")
    assert "welcome  sms      sent" in out
    # the welcome was queued by the sale two days before, and lists on the day it went
    bought_on = (REMINDER_DAY - timedelta(days=2)).date().isoformat()
    code, out, _ = run(capsys, "messages", "list", "--tenant", TENANT, "--date", bought_on)
    assert out.strip() == "Nenhuma mensagem."
    code, out, _ = run(capsys, "messages", "list", "--tenant", TENANT, "--date", day)
    assert "welcome  sms      sent" in out
    assert "+55" not in out


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every command and sub-command of the parser, as the words that name it."""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                yield from command_paths(command, (*prefix, name))


COMMANDS = list(command_paths(_parser()))


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) or "bemtevi" for c in COMMANDS])
def test_every_command_answers_help(command, capsys):
    with pytest.raises(SystemExit) as stopped:
        main([*command, "--help"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0
    assert out.startswith(f"usage: {' '.join(('bemtevi', *command))}")


def test_metrics_help_shows_a_percent_sign(capsys):
    assert ("metrics", "compare") in COMMANDS
    with pytest.raises(SystemExit):
        main(["metrics", "--help"])
    assert "compara dois períodos (variação em %)" in capsys.readouterr().out
