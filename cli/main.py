"""`bemtevi`: manage tenants, stores, programs and messages; run jobs; read metrics and
compensation; deploy the infra.

Talks to AWS through the standard environment (AWS_ENDPOINT_URL for the local stack).
Every command takes --json for scripts; errors go to stderr with exit code 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from bemtevi.errors import BemteviError, InvalidInput
from cli import messaging


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "run"):
        parser.print_help()
        return 2
    try:
        result = arguments.run(arguments)
    except BemteviError as error:
        if arguments.json:
            print(json.dumps(error.as_body(), ensure_ascii=False), file=sys.stderr)
        else:
            print(f"erro: {error.message} ({error.code})", file=sys.stderr)
        return 1
    if arguments.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(arguments.show(result))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bemtevi", description=__doc__.splitlines()[0])
    groups = parser.add_subparsers(title="comandos")

    tenant = groups.add_parser("tenant", help="redes").add_subparsers(title="ações")
    create = _command(tenant, "create", "cria uma rede", _tenant_create, _show_tenant)
    create.add_argument("--id", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--timezone", default="America/Sao_Paulo")

    store = groups.add_parser("store", help="lojas e credenciais").add_subparsers(title="ações")
    add = _command(store, "add", "cria uma loja e sua credencial", _store_add, _show_secret)
    add.add_argument("--tenant", required=True)
    add.add_argument("--id", required=True)
    add.add_argument("--name", required=True)
    listing = _command(store, "list", "lista as lojas da rede", _store_list, _show_stores)
    listing.add_argument("--tenant", required=True)
    rotate = _command(
        store, "rotate-secret", "gera um novo segredo (ou aposenta o antigo)", _rotate, _show_secret
    )
    rotate.add_argument("--tenant", required=True)
    rotate.add_argument("--id", required=True)
    rotate.add_argument(
        "--retire-old", action="store_true", help="aposenta o segredo antigo após a troca"
    )

    program = groups.add_parser("program", help="regras de pontos").add_subparsers(title="ações")
    setting = _command(
        program, "set", "define as regras de pontos da rede", _program_set, _show_program
    )
    setting.add_argument("--tenant", required=True)
    setting.add_argument(
        "--points-per-real", default="1", help="pontos por R$ 1,00 (ex.: 1 ou 2,5)"
    )
    setting.add_argument("--validity-days", type=int, default=180)
    setting.add_argument("--pending-days", type=int, default=0, help="carência antes da troca")
    setting.add_argument(
        "--store-rate",
        action="append",
        default=[],
        metavar="LOJA=PONTOS",
        help="pontos por real numa loja (repita para várias)",
    )
    setting.add_argument(
        "--category-multiplier",
        action="append",
        default=[],
        metavar="CATEGORIA=FATOR",
        help="multiplicador por categoria de produto (repita para várias)",
    )
    showing = _command(program, "show", "mostra as regras de pontos", _program_show, _show_program)
    showing.add_argument("--tenant", required=True)

    benefit = groups.add_parser("benefit", help="benefícios (N pontos valem X)").add_subparsers(
        title="ações"
    )
    adding = _command(benefit, "add", "cria ou altera um benefício", _benefit_add, _show_benefit)
    adding.add_argument("--tenant", required=True)
    adding.add_argument("--id", required=True)
    adding.add_argument("--description", required=True, help="o que o cliente lê")
    adding.add_argument("--points", type=int, required=True)
    value = adding.add_mutually_exclusive_group(required=True)
    value.add_argument("--discount", help="desconto em reais, ex.: 10,00")
    value.add_argument("--product", metavar="SKU", help="produto do catálogo (vale o custo)")
    adding.add_argument("--minimum-purchase", default="0", help="compra mínima em reais")
    adding.add_argument("--starts", type=_date, help="AAAA-MM-DD")
    adding.add_argument("--ends", type=_date, help="AAAA-MM-DD")
    adding.add_argument(
        "--store", action="append", default=[], help="loja que aceita (repita); padrão: todas"
    )
    listing = _command(benefit, "list", "lista os benefícios", _benefit_list, _show_benefits)
    listing.add_argument("--tenant", required=True)
    disabling = _command(
        benefit, "disable", "desativa um benefício", _benefit_disable, _show_benefit
    )
    disabling.add_argument("--tenant", required=True)
    disabling.add_argument("--id", required=True)

    product = groups.add_parser("product", help="catálogo").add_subparsers(title="ações")
    product_add = _command(
        product, "add", "cadastra um produto à mão (com custo)", _product_add, _show_product
    )
    product_add.add_argument("--tenant", required=True)
    product_add.add_argument("--sku", required=True)
    product_add.add_argument("--name", required=True)
    product_add.add_argument("--price", required=True, help="preço em reais, ex.: 79,90")
    product_add.add_argument("--cost", required=True, help="custo em reais, ex.: 31,00")
    product_add.add_argument("--brand")
    product_add.add_argument("--category")

    template = groups.add_parser("template", help="textos das mensagens").add_subparsers(
        title="ações"
    )
    template_set = _command(
        template, "set", "define o texto de uma mensagem", _template_set, _show_template
    )
    template_set.add_argument("--tenant", required=True)
    template_set.add_argument("--kind", required=True, choices=["welcome", "reminder", "expiry"])
    template_set.add_argument("--channel", required=True, choices=["sms", "email", "whatsapp"])
    from bemtevi.domain.templates import VARIABLES

    variables = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in VARIABLES.items())
    template_set.add_argument(
        "--text", default="", help=f"SMS ou e-mail em texto, com as variáveis {variables}"
    )
    template_set.add_argument("--subject", default="", help="assunto do e-mail")
    template_set.add_argument("--html", default="", help="corpo HTML do e-mail")
    template_set.add_argument("--whatsapp-template", default="", help="modelo aprovado na Meta")
    template_set.add_argument(
        "--parameters", default="", help="variáveis do modelo WhatsApp, em ordem: nome,pontos"
    )
    template_list = _command(
        template, "list", "mostra os textos em uso", _template_list, _show_templates
    )
    template_list.add_argument("--tenant", required=True)

    jobs = groups.add_parser("jobs", help="tarefas agendadas, sob demanda").add_subparsers(
        title="ações"
    )
    job = _command(jobs, "run", "roda uma tarefa para uma rede numa data", _job_run, _show_job)
    job.add_argument("kind", choices=sorted(_jobs()), help="qual tarefa")
    job.add_argument("--tenant", required=True)
    job.add_argument(
        "--date", type=_date, required=True, help="AAAA-MM-DD, a data (fuso da rede) da tarefa"
    )

    metrics = groups.add_parser("metrics", help="métricas mensais").add_subparsers(title="ações")
    show = _command(metrics, "show", "métricas mês a mês", _metrics_show, _show_metrics)
    compare = _command(
        metrics, "compare", "compara dois períodos (variação em %)", _metrics_compare, _show_compare
    )
    for command in (show, compare):
        command.add_argument("--tenant", required=True)
        command.add_argument("--store", help="uma loja; padrão: a rede toda")
        command.add_argument("--a", required=True, type=_range, help="AAAA-MM..AAAA-MM")
    compare.add_argument("--b", required=True, type=_range, help="AAAA-MM..AAAA-MM")

    compensation = groups.add_parser("compensation", help="faturas de compensação").add_subparsers(
        title="ações"
    )
    statement = _command(
        compensation, "statement", "a fatura de uma loja num mês", _statement, _show_statement
    )
    statement.add_argument("--tenant", required=True)
    statement.add_argument("--store", required=True)
    statement.add_argument("--month", required=True, help="AAAA-MM")
    export = _command(
        compensation, "export", "CSV das linhas da rede num mês fechado", _export, _show_export
    )
    export.add_argument("--tenant", required=True)
    export.add_argument("--month", required=True, help="AAAA-MM")
    export.add_argument("--output", help="arquivo a gravar; padrão: a saída padrão")

    infra = groups.add_parser("infra", help="infraestrutura com estado").add_subparsers(
        title="ações"
    )
    deploy = _command(
        infra, "deploy", "cria ou atualiza tabelas, chave KMS e fila", _infra_deploy, _show_stack
    )
    deploy.add_argument("--stage", required=True)
    messaging.add_commands(groups, _command)
    return parser


def _command(
    actions: Any,
    name: str,
    summary: str,
    run: Callable[[argparse.Namespace], Any],
    show: Callable[[Any], str],
) -> argparse.ArgumentParser:
    # argparse %-formats help texts (not descriptions): a literal % must be doubled there.
    command = actions.add_parser(name, help=summary.replace("%", "%%"), description=summary)
    command.add_argument("--json", action="store_true", help="saída em JSON")
    command.set_defaults(run=run, show=show)
    return command


def _tenant_create(arguments: argparse.Namespace) -> dict:
    from functions import network

    return network.create_tenant(arguments.id, arguments.name, arguments.timezone)


def _store_add(arguments: argparse.Namespace) -> dict:
    from functions import network

    return network.add_store(arguments.tenant, arguments.id, arguments.name)


def _store_list(arguments: argparse.Namespace) -> list[dict]:
    from functions import network

    return network.list_stores(arguments.tenant)


def _rotate(arguments: argparse.Namespace) -> dict:
    from functions import network

    if arguments.retire_old:
        return network.retire_old_store_secret(arguments.tenant, arguments.id)
    return network.rotate_store_secret(arguments.tenant, arguments.id)


def _program_set(arguments: argparse.Namespace) -> dict:
    from functions import program

    return program.set_program(
        arguments.tenant,
        arguments.points_per_real,
        arguments.validity_days,
        arguments.pending_days,
        _pairs(arguments.store_rate, "--store-rate"),
        _pairs(arguments.category_multiplier, "--category-multiplier"),
    )


def _program_show(arguments: argparse.Namespace) -> dict:
    from functions import program

    return program.show_program(arguments.tenant)


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, separator, rate = value.partition("=")
        if not separator or not name:
            raise InvalidInput("invalid_pair", f"Use NOME=VALOR em {option}.", option)
        pairs[name] = rate
    return pairs


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use AAAA-MM-DD") from None


def _benefit_add(arguments: argparse.Namespace) -> dict:
    from bemtevi.domain.money import centavos_from_text
    from functions import benefits

    return benefits.add_benefit(
        arguments.tenant,
        arguments.id,
        arguments.description,
        arguments.points,
        discount=centavos_from_text(arguments.discount, "--discount")
        if arguments.discount
        else None,
        sku=arguments.product,
        minimum_purchase=centavos_from_text(arguments.minimum_purchase, "--minimum-purchase"),
        starts_on=arguments.starts,
        ends_on=arguments.ends,
        stores=tuple(arguments.store),
    )


def _benefit_list(arguments: argparse.Namespace) -> list[dict]:
    from functions import benefits

    return benefits.list_benefits(arguments.tenant)


def _benefit_disable(arguments: argparse.Namespace) -> dict:
    from functions import benefits

    return benefits.disable_benefit(arguments.tenant, arguments.id)


def _product_add(arguments: argparse.Namespace) -> dict:
    from bemtevi.domain.money import centavos_from_text
    from functions import products

    return products.add_product(
        arguments.tenant,
        {
            "sku": arguments.sku,
            "name": arguments.name,
            "price": centavos_from_text(arguments.price, "--price"),
            "cost": centavos_from_text(arguments.cost, "--cost"),
            "brand": arguments.brand,
            "category": arguments.category,
        },
    )


def _template_set(arguments: argparse.Namespace) -> dict:
    from functions import templates

    return templates.set_template(
        arguments.tenant,
        arguments.kind,
        arguments.channel,
        text=arguments.text,
        subject=arguments.subject,
        html=arguments.html,
        whatsapp_template=arguments.whatsapp_template,
        parameters=tuple(name for name in arguments.parameters.split(",") if name),
    )


def _template_list(arguments: argparse.Namespace) -> list[dict]:
    from functions import templates

    return templates.list_templates(arguments.tenant)


def _jobs() -> list[str]:
    from functions.jobs import JOBS

    return list(JOBS)


def _range(text: str) -> tuple[str, str]:
    from bemtevi.domain.months import parsed_range

    try:
        return parsed_range(text, "range")
    except BemteviError as error:
        raise argparse.ArgumentTypeError(error.message) from None


def _job_run(arguments: argparse.Namespace) -> dict:
    from functions import jobs

    return jobs.run(arguments.kind, arguments.tenant, arguments.date)


def _metrics_show(arguments: argparse.Namespace) -> dict:
    from functions import metrics

    return metrics.show(arguments.tenant, arguments.store, *arguments.a)


def _metrics_compare(arguments: argparse.Namespace) -> dict:
    from functions import metrics

    return metrics.compare(arguments.tenant, arguments.store, arguments.a, arguments.b)


def _statement(arguments: argparse.Namespace) -> dict:
    from functions import compensation

    return compensation.store_statement(arguments.tenant, arguments.store, arguments.month)


def _export(arguments: argparse.Namespace) -> dict:
    from functions import compensation

    text = compensation.export_csv(arguments.tenant, arguments.month)
    lines = text.count("\n") - 1
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    return {
        "tenant": arguments.tenant,
        "month": arguments.month,
        "lines": lines,
        "output": arguments.output,
        "csv": None if arguments.output else text,
    }


def _infra_deploy(arguments: argparse.Namespace) -> dict:
    from infra.deploy import deploy_stateful_stack

    return deploy_stateful_stack(arguments.stage)


def _show_tenant(tenant: dict) -> str:
    return f"Rede {tenant['id']} ({tenant['name']}) criada, fuso {tenant['timezone']}."


def _show_secret(store: dict) -> str:
    lines = [
        f"Loja {store['tenant']}/{store['id']} ({store['name']})",
        f"  key id: {store['key_id']}",
    ]
    if "secret" in store:
        lines.append(f"  secret: {store['secret']}")
        lines.append("  Guarde o segredo agora: ele não será mostrado de novo.")
    if store.get("secrets_active") == 2:
        lines.append("  Os dois segredos valem até `--retire-old`.")
    elif "secrets_active" in store:
        lines.append("  Só o segredo mais novo vale agora.")
    return "\n".join(lines)


def _show_stores(stores: list[dict]) -> str:
    if not stores:
        return "Nenhuma loja."
    rows = [f"{'loja':<16} {'nome':<32} {'key id':<24} ativa"]
    rows += [
        f"{s['id']:<16} {s['name'][:32]:<32} {s['key_id']:<24} {'sim' if s['active'] else 'não'}"
        for s in stores
    ]
    return "\n".join(rows)


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


def _show_product(product: dict) -> str:
    from bemtevi.domain.money import brl

    return (
        f"Produto {product['sku']} ({product['name']}): preço {brl(product['price'])}, "
        f"custo {brl(product['cost'])}"
    )


def _show_template(template: dict) -> str:
    origin = "personalizado" if template["custom"] else "padrão"
    head = f"{template['kind']}/{template['channel']} ({origin})"
    if template["channel"] == "whatsapp":
        parameters = ", ".join(template["parameters"])
        return f"{head}: modelo {template['whatsapp_template']} ({parameters})"
    subject = f"\n  assunto: {template['subject']}" if template["subject"] else ""
    variables = f"\n  variáveis: {', '.join(template['variables'])}"
    return f"{head}:{subject}\n  {template['text']}{variables}"


def _show_templates(templates: list[dict]) -> str:
    return "\n".join(_show_template(template) for template in templates)


def _show_job(result: dict) -> str:
    from cli import reports

    return reports.job(result)


def _show_metrics(result: dict) -> str:
    from cli import reports

    return reports.metrics_months(result)


def _show_compare(result: dict) -> str:
    from cli import reports

    return reports.metrics_comparison(result)


def _show_statement(result: dict) -> str:
    from cli import reports

    return reports.statement(result)


def _show_export(result: dict) -> str:
    if result["output"]:
        return f"{result['lines']} linhas gravadas em {result['output']}."
    return result["csv"].rstrip("\n")


def _show_stack(stack: dict) -> str:
    outputs = "\n".join(f"  {name}: {value}" for name, value in stack["outputs"].items())
    return f"Pilha {stack['stack']}: {stack['status']}\n{outputs}"


if __name__ == "__main__":
    sys.exit(main())
