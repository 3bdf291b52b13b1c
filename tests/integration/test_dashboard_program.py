"""/painel/programa: the points program set from the dashboard through the function
`bemtevi program set` calls (a value the CLI refuses is refused with its message, next
to its field, and nothing is written), with the live example of the domain's rule."""

from __future__ import annotations

import html

import pytest

from cli.main import main
from functions.network import points_program
from tests.integration import dashboard_people as people
from tests.integration import test_dashboard_stores as stores_page
from tests.integration.test_dashboard_sign_in import post
from tests.integration.test_dashboard_stores import TENANT, details, signed_in

http = stores_page.http

PATH = "/painel/programa"
STORE_B = people.STORE_B[0]
RATE_B = f"store_rate.{STORE_B}"
GOOD = {
    "points_per_real": "2,5",
    "validity_days": "365",
    "pending_days": "7",
    f"store_rate.{STORE_B}": "3",
    "category_multipliers": "roupas=2\r\n\r\n calçados = 1,5 ",
}


def text_of(response) -> str:
    return html.unescape(response.body.decode()).replace("\xa0", " ")


def test_the_page_shows_the_rules_a_live_example_and_the_cache_time(http):
    page = http.get(PATH, headers={"cookie": people.sign_in("rede").cookie()})
    text = text_of(page)
    assert page.status_code == 200
    assert "Loja Alfa: uma venda de R$ 100,00 rende 100 pontos." in text
    assert "chega aos caixas em até 60 segundos" in text
    assert 'id="validity_days" name="validity_days" value="180"' in text


def test_the_form_sets_what_the_cli_sets_and_the_example_follows(http, capsys):
    token, jar = signed_in(http)
    answer = post(http, PATH, jar, {"csrf": token, **GOOD})
    assert answer.status_code == 303
    set_here = points_program.show_program(TENANT)
    cli = f"--points-per-real 2,5 --validity-days 365 --pending-days 7 --store-rate {STORE_B}=3"
    cli += " --category-multiplier roupas=2 --category-multiplier calçados=1,5"
    assert main(["program", "set", "--tenant", TENANT, *cli.split()]) == 0
    capsys.readouterr()
    assert set_here == points_program.show_program(TENANT)
    assert set_here["store_rates"] == {STORE_B: "3"}
    assert set_here["category_multipliers"] == {"roupas": "2", "calçados": "1,5"}
    text = text_of(http.get(f"{PATH}?aviso=salvo", headers={"cookie": jar}))
    assert "Regras salvas." in text
    assert "Loja Alfa: uma venda de R$ 100,00 rende 250 pontos." in text
    assert "Loja Beta: uma venda de R$ 100,00 rende 300 pontos." in text
    assert "Loja Alfa: R$ 100,00 só em produtos da categoria roupas rendem 500 pontos." in text
    assert "categoria calçados rendem 375 pontos" in text
    assert details()[0] == "Regras de pontos alteradas"


@pytest.mark.parametrize(
    ("changes", "field", "cli"),
    [
        ({"points_per_real": "muitos"}, "points_per_real", "--points-per-real=muitos"),
        ({"validity_days": "dez"}, "validity_days", "--validity-days=dez"),
        ({"validity_days": "0"}, "validity_days", "--validity-days=0"),
        ({"pending_days": "400"}, "pending_days", "--pending-days=400"),
        (
            {"pending_days": "90", "validity_days": "30"},
            "pending_days",
            "--pending-days=90 --validity-days=30",
        ),
        ({RATE_B: "-1"}, RATE_B, f"--store-rate={STORE_B}=-1"),
        (
            {"category_multipliers": "roupas=x"},
            "category_multipliers",
            "--category-multiplier=roupas=x",
        ),
        (
            {"category_multipliers": "roupas"},
            "category_multipliers",
            "--category-multiplier=roupas",
        ),
    ],
    ids=[
        "rate",
        "days-text",
        "days-zero",
        "pending-range",
        "pending-over",
        "store",
        "factor",
        "pair",
    ],
)
def test_a_refused_value_shows_the_clis_message_by_its_field_and_writes_nothing(
    http, capsys, changes, field, cli
):
    """The message is the one `bemtevi program set` prints for the same value (a line
    without "=" names where it came from: the option there, the text area here)."""
    assert main(["program", "set", "--tenant", TENANT, *cli.split()]) == 1
    message = capsys.readouterr().err.removeprefix("Erro: ").removesuffix("\n")
    message = message.replace("--category-multiplier", "multiplicadores por categoria")
    form = {**GOOD, **changes}
    token, jar = signed_in(http)
    before, logged = points_program.show_program(TENANT), details()
    answer = post(http, PATH, jar, {"csrf": token, **form})
    text = text_of(answer)
    assert answer.status_code == 400
    assert f'id="{field}-erro">{message}' in text
    for name in ("points_per_real", "validity_days", "pending_days", f"store_rate.{STORE_B}"):
        assert f'name="{name}" value="{form[name]}"' in text  # the form re-filled
    assert f">{form['category_multipliers']}</textarea>" in text
    assert points_program.show_program(TENANT) == before
    assert details() == logged


def test_refused_visitors_write_nothing(http):
    token, jar = signed_in(http)
    manager_token, manager_jar = signed_in(http, "loja")
    before, logged = points_program.show_program(TENANT), details()
    answers = [
        post(http, PATH, jar, GOOD),
        post(http, PATH, jar, {**GOOD, "csrf": token}, origin="https://outro.site"),
        post(http, PATH, manager_jar, {**GOOD, "csrf": manager_token}),
        post(http, PATH, people.sign_in("outra_rede").cookie(), GOOD),
    ]
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]
    assert points_program.show_program(TENANT) == before
    assert details() == logged
