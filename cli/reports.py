"""How the CLI prints results for a person: Brazilian Portuguese labels for the stable
English codes of the JSON (kinds, channels, statuses, job counts), money as R$ and ratios
as % (Babel, pt-BR), aligned columns."""

from __future__ import annotations

from bemtevi.domain.labels import (  # noqa: F401  # the CLI's names for them
    CHANNELS,
    COUNT,
    FIGURES,
    KINDS,
    LOYALTY,
    MONEY,
    RATE,
    REASONS,
    STATUSES,
    change,
    channel,
    kind,
    reason,
    shown,
    status,
)

# what became of each message of a job run, and what the expiry job expired
OUTCOMES = {
    "sent": "enviadas",
    "skipped": "não enviadas",
    "held": "adiadas para o horário de envio",
    "retry": "a tentar de novo",
    "failed": "falharam",
    "taken": "já com outra execução",
    "customers_expired": "clientes com pontos vencidos",
    "points_expired": "pontos vencidos",
}
JOBS = {
    "welcome": "Boas-vindas",
    "reminder": "Lembrete",
    "expiry": "Aviso de expiração",
    "metrics": "Métricas",
    "compensation": "Compensação",
    "rollup": "Totais do mês",
    "campaigns": "Campanhas",
}
STACK_STATUSES = {
    "CREATE_COMPLETE": "pronta (criada)",
    "UPDATE_COMPLETE": "pronta (atualizada)",
    "UPDATE_ROLLBACK_COMPLETE": "atualização desfeita",
    "ROLLBACK_COMPLETE": "criação desfeita",
}


def columns(header: list[str], rows: list[list[str]]) -> str:
    """Left-aligned columns (text), as wide as their widest cell."""
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _scope(scope: str) -> str:
    return "da rede toda" if scope == "network" else f"da loja {scope}"


def metrics_months(result: dict) -> str:
    months = result["months"]
    title = f"Métricas {_scope(result['scope'])}, {result['from']} a {result['to']}"
    if not months:
        return f"{title}: nenhum retrato guardado (rode `bemtevi jobs run metrics`)."
    header = ["", *(month["month"] for month in months)]
    loyalty = [
        [label, *(shown(month["last_30_days"][name], how) for month in months)]
        for name, (label, how) in LOYALTY.items()
    ]
    figures = [
        [label, *(shown(month["figures"][name], how) for month in months)]
        for name, (label, how) in FIGURES.items()
    ]
    dates = ", ".join(f"{m['month']} em {m['as_of']}" for m in months)
    parts = [
        title,
        f"Retratos: {dates}.",
        "",
        "Últimos 30 dias antes do retrato",
        _table(header, loyalty),
        "",
        "No mês",
        _table(header, figures),
    ]
    messages = _messages(months)
    if messages:
        parts += ["", "Mensagens no mês (enviadas / custo)", messages]
    return "\n".join(parts)


def _messages(months: list[dict]) -> str:
    keys = sorted({(m["kind"], m["channel"]) for month in months for m in month["messages"]})
    if not keys:
        return ""
    rows = []
    for code, medium in keys:
        cells = []
        for month in months:
            found = next(
                (m for m in month["messages"] if (m["kind"], m["channel"]) == (code, medium)),
                None,
            )
            cells.append(f"{found['sent']} / {shown(found['cost'], MONEY)}" if found else "–")
        rows.append([f"{kind(code)} por {channel(medium)}", *cells])
    return _table(["", *(month["month"] for month in months)], rows)


def metrics_comparison(result: dict) -> str:
    a, b = result["a"], result["b"]
    header = ["", _range(a), _range(b), "variação"]
    rows = [
        [
            FIGURES[row["figure"]][0],
            shown(row["a"], FIGURES[row["figure"]][1]),
            shown(row["b"], FIGURES[row["figure"]][1]),
            change(row["change_bp"]),
        ]
        for row in result["figures"]
    ]
    lines = [f"Comparação {_scope(result['scope'])}: A = {_range(a)}, B = {_range(b)}"]
    lines += [f"Atenção: nenhum retrato em {_range(p)}." for p in (a, b) if not p["months"]]
    lines += [
        "Vendas, valores, pontos e mensagens: média por mês; taxas e médias: o período todo;",
        "clientes, pontos em aberto e passivo: no fim de cada período.",
        "",
        _table(header, rows),
    ]
    return "\n".join(lines)


def _range(period: dict) -> str:
    first, last = period["from"], period["to"]
    return first if first == last else f"{first} a {last}"


def statement(result: dict) -> str:
    state = "fechada" if result["closed"] else "provisória: o mês ainda não foi fechado"
    title = f"Fatura de compensação da loja {result['store']}, {result['month']} ({state})"
    if not result["lines"]:
        return f"{title}\nNenhuma troca com pontos de outras lojas neste período."
    header = ["contraparte", "deve", "recebe", "líquido", "atrasado"]
    rows = [
        [
            line["counterparty"],
            shown(line["owes"], MONEY),
            shown(line["receives"], MONEY),
            shown(line["net"], MONEY),
            _late(line),
        ]
        for line in result["lines"]
    ]
    totals = result["totals"]
    rows.append(
        [
            "total",
            shown(totals["owes"], MONEY),
            shown(totals["receives"], MONEY),
            shown(totals["net"], MONEY),
            "",
        ]
    )
    net = totals["net"]
    verdict = "a receber" if net > 0 else "a pagar" if net < 0 else "nada a acertar"
    return "\n".join(
        [title, "", _table(header, rows), "", f"Saldo: {shown(abs(net), MONEY)} {verdict}."]
    )


def _late(line: dict) -> str:
    if not (line["late_owes"] or line["late_receives"]):
        return ""
    amount = line["late_receives"] - line["late_owes"]
    return f"{shown(amount, MONEY)} de {', '.join(line['late_from'])}"


def job(result: dict) -> str:
    if result["job"] == "compensation":
        return (
            f"Compensação de {result['month']} fechada para a rede {result['tenant']}: "
            f"{result['lines']} linhas ({result['late_lines']} com itens atrasados), "
            f"a pagar {shown(result['owed'], MONEY)} = a receber "
            f"{shown(result['receivable'], MONEY)}."
        )
    if result["job"] == "metrics":
        figures = result["network"]["figures"]
        return (
            f"Métricas de {result['month']} (retrato de {result['as_of']}) gravadas para "
            f"{result['stores']} lojas e a rede {result['tenant']}: "
            f"{shown(figures['sales'], COUNT)} vendas, "
            f"{shown(figures['revenue'], MONEY)} de faturamento."
        )
    if result["job"] == "rollup":
        return rollup(result)
    if result["job"] == "campaigns":
        from cli.campaigns import show_run

        return show_run(result)
    if "finished" in result:
        return messages_run(result)
    name = JOBS.get(result["job"], result["job"])
    return f"Tarefa {name} concluída para a rede {result.get('tenant', '')}."


def rollup(result: dict) -> str:
    return (
        f"Totais de {result['month']} até {result['through']} da rede {result['tenant']}: "
        f"{result['rolled_up']} de {result['stores']} lojas somadas "
        f"(as outras já estavam em dia)."
    )


def messages_run(report: dict) -> str:
    """A message job's run: whether it finished and what became of each message."""
    counts = {k: v for k, v in report.items() if k not in ("job", "tenant", "finished")}
    done = "concluída" if report["finished"] else "interrompida (rode de novo para continuar)"
    parts = [
        f"{OUTCOMES.get(name, name)}: {shown(counts[name], COUNT)}"
        for name in sorted(counts, key=_outcome_order)
    ]
    name = JOBS.get(report["job"], report["job"])
    return f"{name} na rede {report['tenant']}: {done}; {', '.join(parts) or 'nada a enviar'}"


def _outcome_order(name: str) -> tuple[int, str]:
    order = list(OUTCOMES)
    return (order.index(name), name) if name in order else (len(order), name)


def stack(result: dict) -> str:
    outputs = "\n".join(f"  {name}: {value}" for name, value in result["outputs"].items())
    state = STACK_STATUSES.get(result["status"], result["status"])
    return f"Pilha {result['stack']}: {state}\n{outputs}"
