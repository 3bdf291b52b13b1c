"""`bemtevi`: manage tenants, stores, programs and messages; run jobs; read metrics and
compensation; deploy the infra.

Talks to AWS through the standard environment (AWS_ENDPOINT_URL for the local stack).
What a person reads is Brazilian Portuguese; every command takes --json for scripts (the
stable English keys and codes). Errors go to stderr with exit code 1; a command line Click
cannot parse exits with 2.
"""

from __future__ import annotations

import sys
from datetime import date

import click

from cli import campaigns, customers, messaging, reports, staff, team
from cli.commands import DAY, MONTHS, Group, action, group, option

bemtevi = Group(
    "bemtevi",
    help="bemtevi: redes, lojas, pontos, benefícios e mensagens; tarefas, métricas, "
    "compensação e infraestrutura.",
)


def main(argv: list[str] | None = None) -> int:
    """Run the command line `argv` (default: the process's) and return its exit code."""
    try:
        code = bemtevi.main(args=argv, prog_name="bemtevi", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("Interrompido.", err=True)
        return 1
    return code if isinstance(code, int) else 0


tenant = group(bemtevi, "tenant", "redes")
store = group(bemtevi, "store", "lojas e credenciais")
program = group(bemtevi, "program", "regras de pontos")
benefit = group(bemtevi, "benefit", "benefícios (N pontos valem X)")
product = group(bemtevi, "product", "catálogo")
template = group(bemtevi, "template", "textos das mensagens")
jobs = group(bemtevi, "jobs", "tarefas agendadas, sob demanda")
metrics = group(bemtevi, "metrics", "métricas mensais")
compensation = group(bemtevi, "compensation", "faturas de compensação")
infra = group(bemtevi, "infra", "infraestrutura com estado")
messaging.add_commands(bemtevi)
staff.add_commands(bemtevi)
customers.add_commands(bemtevi)
team.add_commands(bemtevi)
campaigns.add_commands(bemtevi)

TENANT = option("--tenant", required=True, metavar="REDE", help="a rede (seu id)")


def _show_tenant(tenant: dict) -> str:
    return f"Rede {tenant['id']} ({tenant['name']}) criada, fuso {tenant['timezone']}."


@action(tenant, "create", "cria uma rede", _show_tenant)
@option("--id", "tenant_id", required=True, metavar="ID", help="letras minúsculas, números e -")
@option("--name", required=True, metavar="NOME", help="o nome que os clientes leem")
@option("--timezone", default="America/Sao_Paulo", show_default=True, metavar="FUSO")
def _tenant_create(tenant_id: str, name: str, timezone: str) -> dict:
    from functions.network import stores

    return stores.create_tenant(tenant_id, name, timezone)


def _show_secret(store: dict) -> str:
    lines = [
        f"Loja {store['tenant']}/{store['id']} ({store['name']})",
        f"  identificador da chave: {store['key_id']}",
    ]
    if "secret" in store:
        lines.append(f"  segredo: {store['secret']}")
        lines.append("  Guarde o segredo agora: ele não será mostrado de novo.")
    if store.get("secrets_active") == 2:
        lines.append("  Os dois segredos valem até `--retire-old`.")
    elif "secrets_active" in store:
        lines.append("  Só o segredo mais novo vale agora.")
    return "\n".join(lines)


STORE_ID = option("--id", "store_id", required=True, metavar="LOJA", help="a loja (seu id)")


@action(store, "add", "cria uma loja e sua credencial", _show_secret)
@TENANT
@STORE_ID
@option("--name", required=True, metavar="NOME", help="o nome da loja")
def _store_add(tenant: str, store_id: str, name: str) -> dict:
    from functions.network import stores

    return stores.add_store(tenant, store_id, name)


@action(store, "rename", "muda o nome de uma loja", _show_secret)
@TENANT
@STORE_ID
@option("--name", required=True, metavar="NOME", help="o novo nome da loja")
def _store_rename(tenant: str, store_id: str, name: str) -> dict:
    from functions.network import stores

    return stores.rename_store(tenant, store_id, name)


def _show_stores(stores: list[dict]) -> str:
    if not stores:
        return "Nenhuma loja."
    rows = [f"{'loja':<16} {'nome':<32} {'chave':<24} ativa  último uso"]
    rows += [
        f"{s['id']:<16} {s['name'][:32]:<32} {s['key_id']:<24} "
        f"{'sim' if s['active'] else 'não':<6} {(s['last_seen'] or 'nunca')[:16]}"
        for s in stores
    ]
    return "\n".join(rows)


@action(store, "list", "lista as lojas da rede", _show_stores)
@TENANT
def _store_list(tenant: str) -> list[dict]:
    from functions.network import stores

    return stores.list_stores(tenant)


@action(store, "rotate-secret", "gera um novo segredo (ou aposenta o antigo)", _show_secret)
@TENANT
@STORE_ID
@option("--retire-old", is_flag=True, help="aposenta o segredo antigo após a troca")
def _rotate(tenant: str, store_id: str, retire_old: bool) -> dict:
    from functions.network import stores

    if retire_old:
        return stores.retire_old_store_secret(tenant, store_id)
    return stores.rotate_store_secret(tenant, store_id)


@action(
    store,
    "reseal",
    "sela de novo os segredos da loja com a chave da rede (os mesmos segredos)",
    _show_secret,
)
@TENANT
@STORE_ID
def _reseal(tenant: str, store_id: str) -> dict:
    from functions.network import stores

    return stores.reseal_store_key(tenant, store_id)


def _show_program(program: dict) -> str:
    lines = [
        f"Regras de pontos da rede {program['tenant']}:",
        f"  {program['points_per_real']} ponto(s) por R$ 1,00, arredondando para baixo",
        f"  validade de {program['validity_days']} dias",
        f"  carência de {program['pending_days']} dias antes da troca",
    ]
    lines += [f"  loja {s}: {r} ponto(s) por real" for s, r in program["store_rates"].items()]
    lines += [f"  categoria {c}: x{m}" for c, m in program["category_multipliers"].items()]
    return "\n".join(lines)


@action(program, "set", "define as regras de pontos da rede", _show_program)
@TENANT
@option(
    "--points-per-real", default="1", metavar="PONTOS", help="pontos por R$ 1,00 (ex.: 1 ou 2,5)"
)
@option(
    "--validity-days", default="180", show_default=True, metavar="DIAS", help="validade dos pontos"
)
@option("--pending-days", default="0", metavar="DIAS", help="carência antes da troca")
@option(
    "--store-rate",
    multiple=True,
    metavar="LOJA=PONTOS",
    help="pontos por real numa loja (repita para várias)",
)
@option(
    "--category-multiplier",
    multiple=True,
    metavar="CATEGORIA=FATOR",
    help="multiplicador por categoria de produto (repita para várias)",
)
def _program_set(
    tenant: str,
    points_per_real: str,
    validity_days: str,
    pending_days: str,
    store_rate: tuple[str, ...],
    category_multiplier: tuple[str, ...],
) -> dict:
    from bemtevi.domain.program import pairs_from
    from functions.network import points_program

    return points_program.set_program(
        tenant,
        points_per_real,
        validity_days,
        pending_days,
        pairs_from(store_rate, "--store-rate"),
        pairs_from(category_multiplier, "--category-multiplier"),
    )


@action(program, "show", "mostra as regras de pontos", _show_program)
@TENANT
def _program_show(tenant: str) -> dict:
    from functions.network import points_program

    return points_program.show_program(tenant)


def _show_benefit(benefit: dict) -> str:
    from bemtevi.domain.money import brl

    what = f"desconto de {brl(benefit['value'])}"
    if benefit["kind"] == "product":
        what = f"produto {benefit['sku']} (custo {brl(benefit['value'])})"
    minimum = benefit["minimum_purchase"]
    lines = [
        f"{benefit['id']}: {benefit['description']}"
        + ("" if benefit["active"] else " [desativado]"),
        f"  {benefit['points']} pontos valem {what}"
        + (f", em compras a partir de {brl(minimum)}" if minimum else ""),
        "  lojas: " + (", ".join(benefit["stores"]) or "todas"),
    ]
    if benefit["starts_on"] or benefit["ends_on"]:
        lines.append(f"  de {benefit['starts_on'] or '...'} a {benefit['ends_on'] or '...'}")
    return "\n".join(lines)


def _show_benefits(benefits: list[dict]) -> str:
    return "\n".join(_show_benefit(benefit) for benefit in benefits) or "Nenhum benefício."


BENEFIT_ID = option("--id", "benefit_id", required=True, metavar="ID", help="o benefício")


@action(benefit, "add", "cria ou altera um benefício", _show_benefit)
@TENANT
@BENEFIT_ID
@option("--description", required=True, metavar="TEXTO", help="o que o cliente lê")
@option("--points", type=int, required=True, help="quantos pontos o benefício custa")
@option("--discount", metavar="REAIS", help="desconto em reais, ex.: 10,00 (ou --product)")
@option("--product", metavar="SKU", help="produto do catálogo, vale o custo (ou --discount)")
@option("--minimum-purchase", default="0", metavar="REAIS", help="compra mínima em reais")
@option("--starts", type=DAY, help="primeiro dia em que vale")
@option("--ends", type=DAY, help="último dia em que vale")
@option(
    "--store",
    "stores",
    multiple=True,
    metavar="LOJA",
    help="loja que aceita (repita); padrão: todas",
)
def _benefit_add(
    tenant: str,
    benefit_id: str,
    description: str,
    points: int,
    discount: str | None,
    product: str | None,
    minimum_purchase: str,
    starts: date | None,
    ends: date | None,
    stores: tuple[str, ...],
) -> dict:
    from bemtevi.domain.money import centavos_from_text
    from functions.network import benefit_rules

    if (discount is None) == (product is None):
        raise click.UsageError("Informe --discount ou --product (um dos dois).")
    return benefit_rules.add_benefit(
        tenant,
        benefit_id,
        description,
        points,
        discount=centavos_from_text(discount, "--discount") if discount else None,
        sku=product,
        minimum_purchase=centavos_from_text(minimum_purchase, "--minimum-purchase"),
        starts_on=starts,
        ends_on=ends,
        stores=stores,
    )


@action(benefit, "list", "lista os benefícios", _show_benefits)
@TENANT
def _benefit_list(tenant: str) -> list[dict]:
    from functions.network import benefit_rules

    return benefit_rules.list_benefits(tenant)


@action(benefit, "disable", "desativa um benefício", _show_benefit)
@TENANT
@BENEFIT_ID
def _benefit_disable(tenant: str, benefit_id: str) -> dict:
    from functions.network import benefit_rules

    return benefit_rules.disable_benefit(tenant, benefit_id)


@action(benefit, "enable", "reativa um benefício", _show_benefit)
@TENANT
@BENEFIT_ID
def _benefit_enable(tenant: str, benefit_id: str) -> dict:
    from functions.network import benefit_rules

    return benefit_rules.enable_benefit(tenant, benefit_id)


@action(benefit, "change", "altera os pontos e o período de um benefício", _show_benefit)
@TENANT
@BENEFIT_ID
@option("--points", type=int, required=True, help="quantos pontos o benefício custa")
@option("--starts", type=DAY, help="primeiro dia em que vale (padrão: sem início)")
@option("--ends", type=DAY, help="último dia em que vale (padrão: sem fim)")
def _benefit_change(
    tenant: str, benefit_id: str, points: int, starts: date | None, ends: date | None
) -> dict:
    from functions.network import benefit_rules

    return benefit_rules.change_benefit(tenant, benefit_id, points, starts, ends)


def _show_product(product: dict) -> str:
    from bemtevi.domain.money import brl

    return (
        f"Produto {product['sku']} ({product['name']}): preço {brl(product['price'])}, "
        f"custo {brl(product['cost'])}"
    )


@action(product, "add", "cadastra um produto à mão (com custo)", _show_product)
@TENANT
@option("--sku", required=True, metavar="SKU", help="o código do produto")
@option("--name", required=True, metavar="NOME", help="o nome do produto")
@option("--price", required=True, metavar="REAIS", help="preço em reais, ex.: 79,90")
@option("--cost", required=True, metavar="REAIS", help="custo em reais, ex.: 31,00")
@option("--brand", metavar="MARCA", help="a marca")
@option("--category", metavar="CATEGORIA", help="a categoria")
def _product_add(
    tenant: str,
    sku: str,
    name: str,
    price: str,
    cost: str,
    brand: str | None,
    category: str | None,
) -> dict:
    from bemtevi.domain.money import centavos_from_text
    from functions.network import products

    return products.add_product(
        tenant,
        {
            "sku": sku,
            "name": name,
            "price": centavos_from_text(price, "--price"),
            "cost": centavos_from_text(cost, "--cost"),
            "brand": brand,
            "category": category,
        },
    )


def _show_template(template: dict) -> str:
    origin = "personalizado" if template["custom"] else "padrão"
    head = f"{reports.kind(template['kind'])} por {reports.channel(template['channel'])} ({origin})"
    if template["channel"] == "whatsapp":
        parameters = ", ".join(template["parameters"])
        return f"{head}: modelo `{template['whatsapp_template']}` ({parameters})"
    subject = f"\n  assunto: {template['subject']}" if template["subject"] else ""
    variables = f"\n  variáveis: {', '.join(template['variables'])}"
    return f"{head}:{subject}\n  {template['text']}{variables}"


def _show_templates(templates: list[dict]) -> str:
    return "\n".join(_show_template(template) for template in templates)


def _template_variables() -> str:
    from bemtevi.domain.templates import VARIABLES

    return "; ".join(
        f"{reports.kind(kind)}: {', '.join(names)}" for kind, names in VARIABLES.items()
    )


@action(template, "set", "define o texto de uma mensagem", _show_template)
@TENANT
@option(
    "--kind",
    required=True,
    type=click.Choice(["welcome", "reminder", "expiry"]),
    help="welcome: boas-vindas; reminder: lembrete; expiry: aviso de expiração",
)
@option("--channel", required=True, type=click.Choice(["sms", "email", "whatsapp"]), help="o canal")
@option(
    "--text",
    default="",
    metavar="TEXTO",
    help=f"SMS ou e-mail em texto, com as variáveis {_template_variables()}",
)
@option("--subject", default="", metavar="TEXTO", help="assunto do e-mail")
@option("--html", default="", metavar="HTML", help="corpo HTML do e-mail")
@option("--whatsapp-template", default="", metavar="MODELO", help="modelo aprovado na Meta")
@option(
    "--parameters",
    default="",
    metavar="NOMES",
    help="variáveis do modelo WhatsApp, em ordem: nome,pontos",
)
def _template_set(
    tenant: str,
    kind: str,
    channel: str,
    text: str,
    subject: str,
    html: str,
    whatsapp_template: str,
    parameters: str,
) -> dict:
    from functions.messaging import tenant_templates

    return tenant_templates.set_template(
        tenant,
        kind,
        channel,
        text=text,
        subject=subject,
        html=html,
        whatsapp_template=whatsapp_template,
        parameters=tuple(name for name in parameters.split(",") if name),
    )


@action(template, "list", "mostra os textos em uso", _show_templates)
@TENANT
def _template_list(tenant: str) -> list[dict]:
    from functions.messaging import tenant_templates

    return tenant_templates.list_templates(tenant)


def _jobs() -> list[str]:
    from functions.jobs import JOBS

    return sorted(JOBS)


@action(
    jobs,
    "run",
    "roda uma tarefa para uma rede numa data",
    reports.job,
    "TAREFA: welcome (boas-vindas), reminder (lembrete), expiry (aviso de expiração e "
    "vencimento dos pontos), metrics (retrato das métricas do mês até a data; no dia 1º, do "
    "mês que acabou), compensation (fecha a compensação do último mês encerrado) ou rollup "
    "(soma os contadores diários do mês até a véspera da data no total de cada loja) ou "
    "tasks (listas de contatos do dia de cada vendedor).",
)
@click.argument("kind", metavar="TAREFA", type=click.Choice(_jobs()))
@TENANT
@option("--date", "on", type=DAY, required=True, help="a data (fuso da rede) da tarefa")
def _job_run(kind: str, tenant: str, on: date) -> dict:
    from functions import jobs

    return jobs.run(kind, tenant, on)


METRICS_STORE = option("--store", metavar="LOJA", help="uma loja; padrão: a rede toda")
PERIOD_A = option("--a", "a", required=True, type=MONTHS, help="o período (A)")


@action(metrics, "show", "métricas mês a mês", reports.metrics_months)
@TENANT
@METRICS_STORE
@PERIOD_A
def _metrics_show(tenant: str, store: str | None, a: tuple[str, str]) -> dict:
    from functions.reporting import snapshots

    return snapshots.show(tenant, store, *a)


@action(metrics, "compare", "compara dois períodos (variação em %)", reports.metrics_comparison)
@TENANT
@METRICS_STORE
@PERIOD_A
@option("--b", "b", required=True, type=MONTHS, help="o período comparado a A (B)")
def _metrics_compare(
    tenant: str, store: str | None, a: tuple[str, str], b: tuple[str, str]
) -> dict:
    from functions.reporting import snapshots

    return snapshots.compare(tenant, store, a, b)


@action(
    metrics,
    "rollup",
    "soma os contadores diários de cada loja no total do mês (o que a tarefa noturna faz)",
    reports.rollup,
)
@TENANT
@option("--date", "through", type=DAY, help="o último dia somado (fuso da rede); padrão: ontem")
def _metrics_rollup(tenant: str, through: date | None) -> dict:
    from functions.reporting import rollup

    return rollup.on_demand(tenant, through)


MONTH = option("--month", required=True, metavar="AAAA-MM", help="o mês")


@action(compensation, "statement", "a fatura de uma loja num mês", reports.statement)
@TENANT
@option("--store", required=True, metavar="LOJA", help="a loja")
@MONTH
def _statement(tenant: str, store: str, month: str) -> dict:
    from functions.reporting import settlement

    return settlement.store_statement(tenant, store, month)


def _show_export(result: dict) -> str:
    if result["output"]:
        return f"{result['lines']} linhas gravadas em {result['output']}."
    return result["csv"].rstrip("\n")


@action(compensation, "export", "CSV das linhas da rede num mês fechado", _show_export)
@TENANT
@MONTH
@option("--output", metavar="ARQUIVO", help="arquivo a gravar; padrão: a saída padrão")
def _export(tenant: str, month: str, output: str | None) -> dict:
    from functions.reporting import settlement

    text = settlement.export_csv(tenant, month)
    lines = text.count("\n") - 1
    if output:
        with open(output, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    return {
        "tenant": tenant,
        "month": month,
        "lines": lines,
        "output": output,
        "csv": None if output else text,
    }


@action(infra, "deploy", "cria ou atualiza tabelas, chave KMS e fila", reports.stack)
@option("--stage", required=True, metavar="ESTÁGIO", help="o estágio, ex.: `prod`")
def _infra_deploy(stage: str) -> dict:
    from infra.deploy import deploy_stateful_stack

    return deploy_stateful_stack(stage)


if __name__ == "__main__":
    sys.exit(main())
