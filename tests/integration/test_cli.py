"""The `bemtevi` console command: tenants, stores, secrets; readable (in Portuguese) or
--json (stable English codes)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from bemtevi.domain.message_kinds import MessageStatus
from cli.main import bemtevi, main
from tests.english import english_words

BEMTEVI = Path(sys.executable).with_name("bemtevi")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def refused(capsys, *argv: str) -> tuple[int, str, str]:
    """A command that fails, run for a person and for a script: its exit code, what the
    person reads and the script's error code."""
    code, out, err = run(capsys, *argv)
    assert out == ""
    assert err.startswith("Erro: ")
    json_code, _, json_err = run(capsys, *argv, "--json")
    assert json_code == code
    return code, err, json.loads(json_err)["error"]["code"]


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


def test_resealing_from_the_command_line_keeps_the_secret(aws, capsys):
    """`bemtevi store reseal`: a key written before keys carried the pepper gets it; its
    secret is the same and is not printed."""
    from bemtevi.store import network

    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    _, out, _ = run(capsys, "store", "add", "--tenant", "bebe", "--id", "centro", "--name", "C")
    key_id = out.split("identificador da chave: ")[1].split()[0]
    secret = out.split("segredo: ")[1].split()[0]
    before = network.find_key(key_id)
    network.save_secrets(before, list(before.secrets), None)
    code, out, _ = run(capsys, "store", "reseal", "--tenant", "bebe", "--id", "centro")
    assert code == 0
    assert secret not in out
    after = network.find_key(key_id)
    assert after.pepper is not None
    assert after.secrets[0][2] != before.secrets[0][2]
    from functions.common import auth

    assert auth.open_credentials(after)[0] == [secret]


def test_errors_name_the_problem_and_exit_1(aws, capsys):
    code, err, error = refused(capsys, "tenant", "create", "--id", "Rede Nova!", "--name", "X")
    assert (code, error) == (1, "invalid_id")
    assert err.startswith("Erro: Use de 1 a 40 caracteres: letras minúsculas")
    code, err, error = refused(
        capsys, "store", "add", "--tenant", "nada", "--id", "a", "--name", "A"
    )
    assert (code, error, err) == (1, "tenant_not_found", "Erro: Rede não encontrada.\n")
    run(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    code, err, error = refused(capsys, "tenant", "create", "--id", "bebe", "--name", "Bebê")
    assert (code, error, err) == (1, "tenant_exists", "Erro: Já existe uma rede com esse id.\n")
    run(capsys, "store", "add", "--tenant", "bebe", "--id", "a", "--name", "A")
    code, err, error = refused(
        capsys, "store", "add", "--tenant", "bebe", "--id", "a", "--name", "B"
    )
    assert (code, error, err) == (1, "store_exists", "Erro: Já existe uma loja com esse id.\n")
    code, err, error = refused(
        capsys, "tenant", "create", "--id", "x", "--name", "X", "--timezone", "Mars/Olympus"
    )
    assert (code, error) == (1, "invalid_timezone")
    assert "Fuso horário desconhecido" in err


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
    code, err, error = refused(
        capsys, "program", "set", "--tenant", "bebe", "--store-rate", "centro"
    )
    assert (code, error, err) == (1, "invalid_pair", "Erro: Use NOME=VALOR em --store-rate.\n")


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
    assert (code, out.splitlines()[0]) == (0, "lembrete por SMS (personalizado):")
    code, err, error = refused(capsys, "template", "set", "--tenant", "bebe", "--kind", "reminder",
                               "--channel", "sms", "--text", "Oi {{ cpf }}")  # fmt: skip
    assert (code, error) == (1, "invalid_template")
    # each kind has its variables: the points earned belong to the welcome
    code, err, error = refused(capsys, "template", "set", "--tenant", "bebe", "--kind", "reminder",
                               "--channel", "sms", "--text", "{{ pontos_ganhos }}")  # fmt: skip
    assert (code, error) == (1, "invalid_template")
    assert "saldo" in err
    code, out, _ = template_set("welcome", "sms", "--text", "Ganhou {{ pontos_ganhos }}")
    assert code == 0
    assert "variáveis: nome, pontos_ganhos, saldo, valor, data_expiracao" in out
    options = ("--whatsapp-template", "boas_vindas", "--parameters", "nome,pontos")
    code, out, _ = template_set("welcome", "whatsapp", *options)
    assert "modelo `boas_vindas` (nome, pontos)" in out
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
    assert "canais: e-mail, SMS" in out
    assert "horário de envio: 8h às 21h" in out
    assert "número de SMS: +5511900001111" in out
    assert "SMS: sem acentos (GSM-7, 160 caracteres por segmento)" in out
    code, err, error = refused(
        capsys, "messaging", "set", "--tenant", TENANT, "--send-hours", "22-6"
    )
    assert (code, error) == (1, "invalid_quiet_hours")
    assert err == "Erro: Horário de envio: início antes do fim, de 0 a 24.\n"
    code, out, _ = run(capsys, "messaging", "set", "--tenant", TENANT, "--sms-accents")
    assert "SMS: com acentos (UCS-2, 70 caracteres por segmento)" in out
    assert "canais: e-mail, SMS" in out
    code, out, _ = run(capsys, "messaging", "show", "--tenant", TENANT, "--json")
    assert json.loads(out)["sms_accents"] is True
    code, out, _ = run(capsys, "messaging", "set", "--tenant", TENANT, "--no-sms-accents")
    assert "SMS: sem acentos" in out

    buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=2))
    day = REMINDER_DAY.date().isoformat()
    code, out, _ = run(capsys, "jobs", "run", "welcome", "--tenant", TENANT, "--date", day)
    assert (code, out.strip()) == (0, f"Boas-vindas na rede {TENANT}: concluída; enviadas: 1")
    code, out, _ = run(capsys, "jobs", "run", "reminder", "--tenant", TENANT, "--date", day)
    assert out.strip() == f"Lembrete na rede {TENANT}: concluída; enviadas: 1"
    code, out, _ = run(capsys, "jobs", "run", "reminder", "--tenant", TENANT, "--date", day)
    assert out.strip() == f"Lembrete na rede {TENANT}: concluída; nada a enviar"

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
    assert out.splitlines()[0].split() == [
        "quando",
        "tipo",
        "canal",
        "situação",
        "cliente",
        "custo",
    ]
    assert sorted(line.split("  ")[1:4] for line in _cells(out)[1:]) == [
        ["boas-vindas", "SMS", "enviada"],
        ["lembrete", "SMS", "enviada"],
    ]
    # the welcome was queued by the sale two days before, and lists on the day it went
    bought_on = (REMINDER_DAY - timedelta(days=2)).date().isoformat()
    code, out, _ = run(capsys, "messages", "list", "--tenant", TENANT, "--date", bought_on)
    assert out.strip() == "Nenhuma mensagem."
    code, out, _ = run(capsys, "messages", "list", "--tenant", TENANT, "--date", day)
    assert ["boas-vindas", "SMS", "enviada"] in [line.split("  ")[1:4] for line in _cells(out)]
    assert "+55" not in out


def _cells(table: str) -> list[str]:
    """The table's lines with each run of spaces between columns made two spaces."""
    import re

    return [re.sub(r"\s{2,}", "  ", line) for line in table.splitlines()]


def command_paths(command: click.Command, prefix: tuple[str, ...] = ()):
    """Every command and sub-command of the CLI, as the words that name it."""
    yield prefix
    for name, child in getattr(command, "commands", {}).items():
        yield from command_paths(child, (*prefix, name))


COMMANDS = list(command_paths(bemtevi))


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) or "bemtevi" for c in COMMANDS])
def test_every_command_answers_help(command, capsys):
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Uso: {' '.join(('bemtevi', *command))} [OPÇÕES]")
    assert "Opções:" in out
    assert "Mostra esta ajuda e sai." in out


def test_metrics_help_shows_a_percent_sign(capsys):
    assert ("metrics", "compare") in COMMANDS
    assert main(["metrics", "--help"]) == 0
    assert "compara dois períodos (variação em %)" in capsys.readouterr().out


def test_the_english_check_finds_what_the_old_command_printed():
    # lines the argparse command printed for a person, before it spoke only Portuguese
    old = {
        "welcome em rede-teste: concluída; held: 2, sent: 1, skipped: 1": {
            "welcome",
            "held",
            "sent",
            "skipped",
        },
        "2026-12-05T10:00:00  reminder sms      queued     c1  R$ 0,07": {"reminder", "queued"},
        "  key id: bk_0123456789abcdef0123\n  secret: bs_x9": {"key", "secret"},
        "erro: Rede não encontrada. (tenant_not_found)": {"tenant", "not", "found"},
        "usage: bemtevi jobs run [-h] error: the following arguments are required: --tenant": {
            "usage",
            "jobs",
            "run",
            "error",
            "the",
            "following",
            "arguments",
            "are",
            "required",
        },
        "Pilha bemtevi-prod-data: CREATE_COMPLETE": {"prod", "create"},
        "status: failed, store: None, customer: True, points: false": {
            "status",
            "failed",
            "store",
            "none",
            "customer",
            "true",
            "points",
            "false",
        },
    }
    assert {text: english_words(text) for text in old} == old
    portuguese = "Boas-vindas na rede rede-teste: concluída; enviadas: 1, adiadas: 2. Ticket médio"
    assert english_words(portuguese) == set()


def typed_words(command: click.Command) -> set[str]:
    """What a person types as is: command names and the values of choices."""
    words = set()
    for path in command_paths(command):
        words.update(path)
    for path in COMMANDS:
        found = bemtevi
        for name in path:
            found = found.commands[name]
        for param in found.params:
            if isinstance(param.type, click.Choice):
                words.update(param.type.choices)
    return words


def test_every_help_reads_in_portuguese(capsys):
    typed = typed_words(bemtevi)
    english = {}
    for command in COMMANDS:
        assert main([*command, "--help"]) == 0
        english[" ".join(command)] = english_words(capsys.readouterr().out, typed)
    assert {command: words for command, words in english.items() if words} == {}


@pytest.mark.parametrize(
    "argv",
    [
        ["tenant", "create", "--name", "X"],
        ["store", "lst"],
        ["store", "list", "--tenant", "a", "--bogus"],
        ["store", "list", "--tenant"],
        ["store", "list", "--tenant", "a", "extra"],
        ["jobs", "run", "limpeza", "--tenant", "a", "--date", "2026-10-01"],
        ["jobs", "run", "metrics", "--tenant", "a", "--date", "2026-13-01"],
        ["messages", "list", "--tenant", "a", "--days", "muitos"],
        ["metrics", "show", "--tenant", "a", "--a", "ano passado"],
        ["template", "set", "--tenant", "a", "--kind", "aniversario", "--channel", "sms"],
        ["benefit", "add", "--tenant", "a", "--id", "b", "--description", "B", "--points", "1"],
        ["messaging", "set", "--tenant", "a", "--sms-accents=sim"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_a_command_line_click_cannot_parse_is_told_in_portuguese(argv, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Erro: " in captured.err
    assert english_words(captured.err, typed_words(bemtevi)) == set()


def test_the_labels_of_the_codes_read_in_portuguese():
    from cli import reports

    assert {*MessageStatus, "opted_out", "received"} <= set(reports.STATUSES)
    labels = [
        reports.KINDS,
        reports.CHANNELS,
        reports.STATUSES,
        reports.REASONS,
        reports.OUTCOMES,
        reports.JOBS,
        reports.STACK_STATUSES,
    ]
    assert english_words(" ".join(" ".join(table.values()) for table in labels)) == set()
    stack = {
        "stack": "bemtevi-prod-data",
        "status": "UPDATE_COMPLETE",
        "outputs": {"KmsKeyArn": "arn:aws:kms:sa-east-1:1:key/x"},
    }
    assert reports.stack(stack).splitlines()[0] == "Pilha bemtevi-prod-data: pronta (atualizada)"


def test_what_a_person_reads_is_in_portuguese(shop, capsys):
    """Every command, run as a person would in a month of a network, prints no English
    word: results, job summaries, statuses, table headers and errors."""
    from datetime import timedelta

    from tests.integration.messaging import REMINDER_DAY, TENANT, buy

    buy(shop, 1, 15000, REMINDER_DAY - timedelta(days=40))
    buy(shop, 2, 22000, REMINDER_DAY - timedelta(days=2), phone=None)  # no channel
    buy(shop, 3, 9000, REMINDER_DAY - timedelta(days=2))
    day = REMINDER_DAY.date().isoformat()
    month = (REMINDER_DAY - timedelta(days=40)).strftime("%Y-%m")
    t = ("--tenant", TENANT)
    succeed = [
        ["tenant", "create", "--id", "outra", "--name", "Outra Rede"],
        ["store", "add", *t, "--id", "loja-2", "--name", "Loja Norte"],
        ["store", "list", *t],
        ["store", "rotate-secret", *t, "--id", "loja-2"],
        ["store", "rotate-secret", *t, "--id", "loja-2", "--retire-old"],
        ["program", "set", *t, "--points-per-real", "2,5", "--store-rate", "loja-2=3",
         "--category-multiplier", "roupas=2", "--pending-days", "0"],
        ["program", "show", *t],
        ["product", "add", *t, "--sku", "MAMA-1", "--name", "Mamadeira", "--price", "79,90",
         "--cost", "31,00"],
        ["benefit", "add", *t, "--id", "mamadeira", "--description", "Mamadeira", "--points",
         "300", "--product", "MAMA-1", "--starts", "2026-01-01", "--store", "loja-1"],
        ["benefit", "add", *t, "--id", "vinte", "--description", "R$ 20", "--points", "200",
         "--discount", "20,00", "--minimum-purchase", "100,00"],
        ["benefit", "disable", *t, "--id", "mamadeira"],
        ["benefit", "list", *t],
        ["template", "set", *t, "--kind", "reminder", "--channel", "sms", "--text",
         "{{ nome }}, seus {{ pontos }} pontos valem {{ valor }}. {{ link }}"],
        ["template", "set", *t, "--kind", "welcome", "--channel", "whatsapp",
         "--whatsapp-template", "boas_vindas", "--parameters", "nome,pontos"],
        ["template", "list", *t],
        ["messaging", "set", *t, "--channels", "whatsapp,sms,email", "--send-hours", "8-21",
         "--sms-number", "(11) 90000-1111"],
        ["messaging", "show", *t],
        ["jobs", "run", "welcome", *t, "--date", day],
        ["jobs", "run", "reminder", *t, "--date", day],
        ["jobs", "run", "expiry", *t, "--date", day],
        ["jobs", "run", "metrics", *t, "--date", day],
        ["jobs", "run", "compensation", *t, "--date", day],
        ["messages", "list", *t, "--date", day, "--days", "45"],
        ["metrics", "show", *t, "--a", f"{month}..2026-12"],
        ["metrics", "show", *t, "--store", "loja-1", "--a", "2026-01..2026-02"],
        ["metrics", "compare", *t, "--a", f"{month}..{month}", "--b", "2026-12..2026-12"],
        ["compensation", "statement", *t, "--store", "loja-1", "--month", "2026-11"],
        ["compensation", "statement", *t, "--store", "loja-1", "--month", "2026-12"],
        ["compensation", "export", *t, "--month", "2026-11"],
        ["jobs", "run", "rollup", *t, "--date", day],
        ["metrics", "rollup", *t, "--date", day],
        ["metrics", "rollup", *t],
        ["store", "reseal", *t, "--id", "loja-2"],
    ]  # fmt: skip
    fail = [
        ["tenant", "create", "--id", "outra", "--name", "Outra Rede"],
        ["tenant", "create", "--id", "Rede!", "--name", "X"],
        ["store", "add", "--tenant", "nada", "--id", "a", "--name", "A"],
        ["program", "set", *t, "--store-rate", "loja-2"],
        ["messaging", "set", *t, "--send-hours", "22-6"],
        ["compensation", "export", *t, "--month", "2026-12"],
        ["jobs", "run", "metrics", "--tenant", "nada", "--date", day],
    ]
    read = {}
    for expected, argv in [*((0, argv) for argv in succeed), *((1, argv) for argv in fail)]:
        code, out, err = run(capsys, *argv)
        assert code == expected, (argv, err)
        read[f"{' '.join(argv)} ({expected})"] = out + err
    # the customer without a phone: the welcome and the reminder not sent, and why
    log = _cells(read[f"{' '.join(succeed[22])} (0)"])
    skipped = [line.split("  ") for line in log if "não enviada" in line]
    assert sorted((cells[1:4], cells[-1]) for cells in skipped) == [
        (["boas-vindas", "-", "não enviada"], "sem canal para o cliente"),
        (["lembrete", "-", "não enviada"], "sem canal para o cliente"),
    ]
    english = {argv: english_words(text) for argv, text in read.items()}
    assert {argv: words for argv, words in english.items() if words} == {}
