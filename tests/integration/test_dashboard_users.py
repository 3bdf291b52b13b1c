"""`bemtevi user invite|list|disable|set-role`: Cognito users with tenant, role and stores,
an invitation e-mail in Portuguese through SES (never the password in the logs), and a
disabled user who can no longer sign in."""

from __future__ import annotations

import json

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from bemtevi.staff import SignInRefused
from cli.main import main
from functions.dashboard import users
from tests.integration import dashboard_people as people

REGION = "sa-east-1"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def network(aws) -> None:
    from functions.network import stores

    stores.create_tenant("rede-a", "Rede A")
    stores.add_store("rede-a", "loja-a", "Loja Alfa")
    stores.add_store("rede-a", "loja-b", "Loja Beta")
    stores.create_tenant("rede-b", "Rede B")


def test_invite_creates_the_user_and_emails_the_temporary_password(network, capsys, caplog):
    code, out, _ = run(
        capsys,
        "user",
        "invite",
        "--tenant",
        "rede-a",
        "--email",
        "Gerente@Rede-A.com.br",
        "--role",
        "loja",
        "--store",
        "loja-a",
        "--json",
    )
    assert code == 0
    invited = json.loads(out)
    password = invited.pop("temporary_password")
    assert invited == {
        "email": "gerente@rede-a.com.br",
        "tenant": "rede-a",
        "role": "loja",
        "stores": ["loja-a"],
        "enabled": True,
        "status": "FORCE_CHANGE_PASSWORD",
    }
    sent = ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages[-1]
    assert sent.destinations["ToAddresses"] == ["gerente@rede-a.com.br"]
    assert sent.subject == "Seu acesso ao painel bemtevi"
    assert f"Senha temporária: {password}" in sent.body
    assert "https://" in sent.body or "http://" in sent.body
    assert "/painel/entrar" in sent.body
    assert "No primeiro acesso, o painel pede uma senha nova" in sent.body
    assert password not in caplog.text
    assert "gerente@rede-a.com.br" not in caplog.text
    challenge = users.directory().sign_in("gerente@rede-a.com.br", password)
    assert challenge.name == "NEW_PASSWORD_REQUIRED"


def test_a_person_reads_the_invite_in_portuguese_with_the_password_once(network, capsys):
    code, out, _ = run(
        capsys,
        "user",
        "invite",
        "--tenant",
        "rede-a",
        "--email",
        "dona@rede-a.com.br",
        "--role",
        "rede",
    )
    assert code == 0
    assert "Convite enviado por e-mail para dona@rede-a.com.br (rede rede-a)." in out
    assert "administrador da rede, aguardando o primeiro acesso" in out
    assert "senha temporária: " in out


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--role", "loja"], "store_required"),
        (["--role", "loja", "--store", "loja-z"], "store_not_found"),
        (["--role", "rede", "--store", "loja-a"], "stores_not_allowed"),
        (["--role", "vendedor", "--store", "loja-a", "--email", "sem-arroba"], "invalid_email"),
    ],
)
def test_invites_are_validated_before_anything_is_created(network, capsys, argv, code):
    email = [] if "--email" in argv else ["--email", "x@rede-a.com.br"]
    status, _, err = run(capsys, "user", "invite", "--tenant", "rede-a", *email, *argv, "--json")
    assert status == 1
    assert json.loads(err)["error"]["code"] == code
    assert users.list_users("rede-a") == []
    assert ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages == []


def test_list_disable_and_set_role(network, capsys):
    users.invite("rede-a", "ana@rede-a.com.br", "rede", ())
    users.invite("rede-a", "bia@rede-a.com.br", "vendedor", ("loja-a",))
    users.invite("rede-b", "caio@rede-b.com.br", "rede", ())
    users.directory().set_password("bia@rede-a.com.br", people.PASSWORD)

    _, out, _ = run(capsys, "user", "list", "--tenant", "rede-a", "--json")
    assert [(u["email"], u["role"], u["stores"]) for u in json.loads(out)] == [
        ("ana@rede-a.com.br", "rede", []),
        ("bia@rede-a.com.br", "vendedor", ["loja-a"]),
    ]
    code, out, _ = run(
        capsys,
        "user",
        "set-role",
        "--tenant",
        "rede-a",
        "--email",
        "bia@rede-a.com.br",
        "--role",
        "loja",
        "--store",
        "loja-a",
        "--store",
        "loja-b",
    )
    assert code == 0
    assert out.strip() == "bia@rede-a.com.br: gerente de loja (loja-a, loja-b), ativo"
    tokens = users.directory().sign_in("bia@rede-a.com.br", people.PASSWORD)
    claims = people.claims_of(tokens.id_token)
    assert (claims["custom:role"], claims["custom:stores"]) == ("loja", "loja-a,loja-b")

    code, _, err = run(
        capsys, "user", "disable", "--tenant", "rede-b", "--email", "bia@rede-a.com.br", "--json"
    )
    assert json.loads(err)["error"]["code"] == "user_not_found"
    code, out, _ = run(
        capsys, "user", "disable", "--tenant", "rede-a", "--email", "bia@rede-a.com.br"
    )
    assert code == 0
    assert out.strip() == "bia@rede-a.com.br: gerente de loja (loja-a, loja-b), desativado"
    with pytest.raises(SignInRefused):
        users.directory().sign_in("bia@rede-a.com.br", people.PASSWORD)
    with pytest.raises(SignInRefused):
        users.directory().refresh(tokens.refresh_token)
