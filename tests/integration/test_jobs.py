"""Scheduled jobs: per tenant time zone, once, and on demand from the command line."""

import json
from datetime import UTC, datetime

import pytest

from bemtevi.store import compensation as periods
from cli.main import main
from functions import jobs
from functions.network import stores


@pytest.fixture
def tenants(aws):
    stores.create_tenant("sp", "Rede SP")
    stores.create_tenant("manaus", "Rede Manaus", "America/Manaus")
    for tenant in ("sp", "manaus"):
        stores.add_store(tenant, "centro", "Centro")


def test_a_firing_acts_for_the_tenants_whose_first_has_reached_the_hour(tenants):
    # 05:40 UTC on the 1st: 02:40 in São Paulo, 01:40 in Manaus
    now = datetime(2026, 10, 1, 5, 40, tzinfo=UTC)
    done = jobs.run_monthly("compensation", now, hour=2)
    assert [(r["tenant"], r["month"]) for r in done] == [("sp", "2026-09")]
    assert periods.get_period("manaus", "2026-09") is None
    assert jobs.run_monthly("compensation", now, hour=2) == []  # already done
    later = datetime(2026, 10, 1, 6, 40, tzinfo=UTC)
    assert [r["tenant"] for r in jobs.run_monthly("compensation", later, hour=2)] == ["manaus"]
    assert jobs.run_monthly("compensation", datetime(2026, 10, 2, 6, tzinfo=UTC), 2) == []


def test_the_metrics_firing_runs_once_per_tenant(tenants):
    now = datetime(2026, 10, 1, 5, 10, tzinfo=UTC)
    assert sorted(r["tenant"] for r in jobs.run_monthly("metrics", now, hour=1)) == [
        "manaus",
        "sp",
    ]
    assert jobs.run_monthly("metrics", now, hour=1) == []


def test_one_tenant_failing_does_not_stop_the_others(tenants, monkeypatch):
    ran = []

    def flaky(tenant_id, on):
        ran.append(tenant_id)
        if tenant_id == "manaus":
            raise ValueError("boom")
        return {"tenant": tenant_id}

    monkeypatch.setitem(jobs.JOBS, "metrics", flaky)
    with pytest.raises(RuntimeError, match="manaus"):
        jobs.run_monthly("metrics", datetime(2026, 10, 1, 12, tzinfo=UTC), hour=1)
    assert sorted(ran) == ["manaus", "sp"]


def test_jobs_run_from_the_command_line(tenants, capsys):
    assert main(["jobs", "run", "compensation", "--tenant", "sp", "--date", "2026-10-01"]) == 0
    assert "Compensação de 2026-09 fechada" in capsys.readouterr().out
    argv = ["jobs", "run", "metrics", "--tenant", "sp", "--date", "2026-10-01", "--json"]
    assert main(argv) == 0
    ran = json.loads(capsys.readouterr().out)
    assert (ran["job"], ran["month"], ran["as_of"]) == ("metrics", "2026-09", "2026-10-01")
    assert main(["jobs", "run", "metrics", "--tenant", "nada", "--date", "2026-10-01"]) == 1
    assert capsys.readouterr().err == "Erro: Rede não encontrada.\n"
    assert (
        main(["jobs", "run", "metrics", "--tenant", "nada", "--date", "2026-10-01", "--json"]) == 1
    )
    assert json.loads(capsys.readouterr().err)["error"]["code"] == "tenant_not_found"


def test_statement_and_export_from_the_command_line(tenants, capsys, tmp_path):
    argv = ["compensation", "statement", "--tenant", "sp", "--store", "centro"]
    assert main([*argv, "--month", "2026-09"]) == 0
    assert "provisória" in capsys.readouterr().out
    assert main(["compensation", "export", "--tenant", "sp", "--month", "2026-09"]) == 1
    assert "O mês 2026-09 ainda não foi fechado" in capsys.readouterr().err
    assert main(["compensation", "export", "--tenant", "sp", "--month", "2026-09", "--json"]) == 1
    assert json.loads(capsys.readouterr().err)["error"]["code"] == "month_open"
    main(["jobs", "run", "compensation", "--tenant", "sp", "--date", "2026-10-01"])
    capsys.readouterr()
    target = tmp_path / "sp.csv"
    export = ["compensation", "export", "--tenant", "sp", "--month", "2026-09"]
    assert main([*export, "--output", str(target)]) == 0
    assert "0 linhas gravadas" in capsys.readouterr().out
    assert target.read_text().startswith("linha;mes;loja;contraparte;deve")
    assert main([*argv, "--month", "2026-09", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["closed"] is True


def test_the_app_schedules_both_jobs_hourly(monkeypatch):
    from app import app
    from chalicelib import events

    schedules = {
        source.name: source.schedule_expression.to_string()
        for source in app.event_sources
        if hasattr(source, "schedule_expression")
    }
    assert schedules == {
        "monthly_metrics": "cron(10 * * * ? *)",
        "monthly_compensation": "cron(40 * * * ? *)",
        "nightly_rollup": "cron(20 * * * ? *)",
        "send_outbox": "rate(10 minutes)",
        "start_message_jobs": "cron(0 * * * ? *)",
        "send_campaigns": "rate(10 minutes)",
    }
    fired = []
    monkeypatch.setattr(jobs, "run_monthly", lambda kind, now, hour: fired.append((kind, hour)))
    events.monthly_metrics.func({})
    events.monthly_compensation.func({})
    monkeypatch.setattr(jobs, "run_nightly", lambda kind, now, hour: fired.append((kind, hour)))
    events.nightly_rollup.func({})
    assert fired == [("metrics", 1), ("compensation", 2), ("rollup", 0)]
