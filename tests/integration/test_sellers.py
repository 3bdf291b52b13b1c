"""The sales team from the command line: salespeople per store by the POS seller code."""

import json

from cli.main import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sellers_are_added_listed_and_disabled_per_store(aws, capsys):
    assert run(capsys, "tenant", "create", "--id", "rede", "--name", "Rede")[0] == 0
    for store in ("centro", "praia"):
        assert (
            run(capsys, "store", "add", "--tenant", "rede", "--id", store, "--name", store)[0] == 0
        )
    base = ("seller", "add", "--tenant", "rede")
    code, out, _ = run(
        capsys, *base, "--store", "centro", "--code", "V01", "--name", " Ana  Souza "
    )
    assert (code, out.strip()) == (0, "centro V01: Ana Souza (ativo)")
    assert run(capsys, *base, "--store", "centro", "--code", "V02", "--name", "Bruno")[0] == 0
    assert run(capsys, *base, "--store", "praia", "--code", "V01", "--name", "Carla")[0] == 0

    code, _, err = run(capsys, *base, "--store", "centro", "--code", "V01", "--name", "X", "--json")
    assert (code, json.loads(err)["error"]["code"]) == (1, "seller_exists")
    code, _, err = run(capsys, *base, "--store", "centro", "--code", "V 1", "--name", "X", "--json")
    assert json.loads(err)["error"] == {
        "code": "invalid_seller_code",
        "message": "Código de vendedor inválido: letras, números, - e _.",
        "field": "code",
    }
    code, _, err = run(capsys, *base, "--store", "nenhuma", "--code", "V9", "--name", "X", "--json")
    assert json.loads(err)["error"]["code"] == "store_not_found"

    code, out, _ = run(capsys, "seller", "disable", "--tenant", "rede", "--store", "centro",
                       "--code", "V02")  # fmt: skip
    assert out.strip() == "centro V02: Bruno (desativado)"
    code, out, _ = run(capsys, "seller", "list", "--tenant", "rede", "--store", "centro", "--json")
    assert [(s["code"], s["name"], s["active"]) for s in json.loads(out)] == [
        ("V01", "Ana Souza", True),
        ("V02", "Bruno", False),
    ]
    code, out, _ = run(capsys, "seller", "list", "--tenant", "rede")
    assert out.splitlines() == [
        "centro V01: Ana Souza (ativo)",
        "centro V02: Bruno (desativado)",
        "praia V01: Carla (ativo)",
    ]
    code, _, err = run(capsys, "seller", "disable", "--tenant", "rede", "--store", "praia",
                       "--code", "V07", "--json")  # fmt: skip
    assert json.loads(err)["error"]["code"] == "seller_not_found"


def test_lists_from_the_command_line(aws, capsys):
    assert run(capsys, "tenant", "create", "--id", "rede", "--name", "Rede")[0] == 0
    code, out, _ = run(capsys, "tasks", "run", "--tenant", "rede", "--date", "2026-12-01")
    assert (code, out.strip()) == (
        0,
        "Listas de 2026-12-01 da rede rede: 0 contatos novos, 0 já estavam nas listas "
        "(0 clientes lidos).",
    )
    code, out, _ = run(capsys, "jobs", "run", "tasks", "--tenant", "rede", "--date", "2026-12-01",
                       "--json")  # fmt: skip
    assert json.loads(out)["job"] == "tasks"
    code, out, _ = run(capsys, "tasks", "list", "--tenant", "rede", "--store", "centro",
                       "--seller", "V1", "--date", "2026-12-01")  # fmt: skip
    assert out.strip() == "Nenhum contato na lista."
