"""Checkpoints of scheduled jobs: per index shard, where the next page starts, so that a
run stopped by Lambda's time limit (or killed) continues where it was."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from bemtevi.store.mapping import values_of
from bemtevi.store.models import JobRecord, NetworkTable

NOT_STARTED, DONE = "", "done"
KEPT_FOR = timedelta(days=90)


@dataclass
class JobRun:
    """A job run's checkpoint: per part (a phase and an index shard) where the next page
    starts, "" (not started) or DONE; the band of dates it looks at, when it has one.
    `save_cursor` keeps `shards` as written."""

    tenant_id: str
    job: str
    run: str
    as_of: datetime
    shards: dict[str, str] = field(default_factory=dict)
    band_from: str | None = None
    band_to: str | None = None
    finished_at: datetime | None = None


def _run(record: JobRecord) -> JobRun:
    return JobRun(**{**values_of(record, JobRun), "shards": record.shards.as_dict()})


def open_run(
    tenant_id: str,
    job: str,
    run: str,
    as_of: datetime,
    parts: list[str],
    band: tuple[str | None, str | None] = (None, None),
) -> JobRun:
    """The run's checkpoint, created on the first call and read on the next ones (the
    first call's `as_of` and band hold for the whole run)."""
    record = JobRecord(
        *JobRecord.keys(tenant_id, job, run),
        tenant_id=tenant_id,
        job=job,
        run=run,
        as_of=as_of,
        shards={part: NOT_STARTED for part in parts},
        band_from=band[0],
        band_to=band[1],
        expires=as_of + KEPT_FOR,
    )
    try:
        record.save(condition=NetworkTable.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code != "ConditionalCheckFailedException":
            raise
        return get_run(tenant_id, job, run)
    return _run(record)


def get_run(tenant_id: str, job: str, run: str) -> JobRun:
    return _run(_get(tenant_id, job, run))


def _get(tenant_id: str, job: str, run: str) -> JobRecord:
    return JobRecord.get(*JobRecord.keys(tenant_id, job, run), consistent_read=True)


def find_run(tenant_id: str, job: str, run: str) -> JobRun | None:
    try:
        return get_run(tenant_id, job, run)
    except DoesNotExist:
        return None


def cursor_of(record: JobRun, part: str) -> str:
    return record.shards.get(part, NOT_STARTED)


def save_cursor(record: JobRun, part: str, cursor: str) -> None:
    item = JobRecord(*JobRecord.keys(record.tenant_id, record.job, record.run))
    item.update(actions=[JobRecord.shards[part].set(cursor)])
    record.shards = {**record.shards, part: cursor}


def finish(record: JobRun, now: datetime) -> bool:
    """Mark the run finished once every part is done; True for the call that did it."""
    current = _get(record.tenant_id, record.job, record.run)
    if current.finished_at is not None or any(v != DONE for v in current.shards.as_dict().values()):
        return False
    try:
        current.update(
            actions=[JobRecord.finished_at.set(now)],
            condition=JobRecord.finished_at.does_not_exist(),
        )
    except UpdateError as error:  # another shard's worker finished it first
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def save_band_end(tenant_id: str, job: str, band_to: str, as_of: datetime) -> None:
    """How far ahead a job has looked, for the next run to start from."""
    JobRecord(
        *JobRecord.keys(tenant_id, job, "band"),
        tenant_id=tenant_id,
        job=job,
        run="band",
        as_of=as_of,
        band_to=band_to,
    ).save()


def cursor_text(key: dict | None) -> str | None:
    return json.dumps(key, sort_keys=True) if key else None


def cursor_from(text: str | None) -> dict | None:
    return json.loads(text) if text else None
