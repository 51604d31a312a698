"""The batch worker (MODEL_MODE=worker) as a real process against a real redis-server: it runs jobs, fails bad ones
with the reason, exits 2 on a refused password, drains on SIGTERM, and a job whose worker died runs again, to one
outcome only."""
import json
import signal
import time
import urllib.request
import uuid

import pytest

from conftest import A_ROW, B_ROW, C_ROW, free_port
from redis_fixtures import events, status_is, wait_for


def test_a_worker_runs_jobs_and_reports_them(submit, worker, queue):
    ids = [submit([A_ROW, B_ROW, C_ROW], track="canary"), submit([C_ROW], track="canary")]
    w = worker("worker-a", MODEL_TRACK="canary")
    w.wait_ready()
    for job_id in ids:
        wait_for(status_is(queue, job_id, "done"), what=f"job {job_id} done")
    first = submit.client.get(f"/v1/jobs/{ids[0]}").json()
    waited, served = first.pop("queue_wait_ms"), first.pop("service_ms")
    assert 0 <= waited < 15_000 and 0 <= served < 5_000
    assert first == {"id": ids[0], "status": "done", "track": "canary", "attempts": 1, "result": {"predictions": ["a", "b", "c"]},
                     "worker": {"name": "worker-a", "track": "canary", "version": "v7"}, "queued_for": "canary"}
    assert submit.client.get(f"/v1/jobs/{ids[1]}").json()["result"] == {"predictions": ["c"]}
    assert queue.waiting() == [] and queue.waiting("canary") == [] and queue.processing("worker-a") == []
    record = queue.record(ids[0])
    assert float(record["submitted"]) <= float(record["started"]) <= float(record["finished"])
    assert 3500 < queue.client.ttl(f"{queue.name}:job:{ids[0]}") <= 3600  # the result's TTL, from its end

    status, _, body = w.get("/v1/models/model")
    assert status == 404 and "jobs go through the queue" in body["error"]
    w.proc.send_signal(signal.SIGTERM)
    exit_status, lines = w.wait_exit()
    assert exit_status == 0
    assert len(events(lines, "job-done")) == 2 and events(lines, "stopped")


def test_the_worker_metrics(submit, worker, queue):
    job_id = submit([A_ROW, B_ROW])
    w = worker("worker-m", MODEL_TRACK="stable")
    w.wait_ready()
    wait_for(status_is(queue, job_id, "done"))
    with urllib.request.urlopen(w.url("/metrics"), timeout=5) as r:
        text = r.read().decode()
    labels = 'model="model",track="stable",version="v7"'
    for status, count in (("done", 1), ("failed", 0), ("requeued", 0), ("lost", 0)):
        assert f'model_jobs_total{{model="model",status="{status}",track="stable",version="v7"}} {count}.0' in text
    assert f"model_job_duration_seconds_count{{{labels}}} 1.0" in text
    assert f"model_job_queue_wait_seconds_count{{{labels}}} 1.0" in text
    assert f"model_jobs_in_progress{{{labels}}} 0.0" in text
    assert 'model_predictions_total{class="a",model="model",track="stable",version="v7"} 1.0' in text
    assert "model_requests_total" not in text.replace("# HELP model_requests_total", "").replace("# TYPE model_requests_total", "")


def test_bad_payloads_fail_with_the_reason_and_the_worker_goes_on(submit, worker, queue):
    narrow = submit([[0.5, 0.0, 0.0]])  # the API cannot know the model's width; the worker does
    garbage = str(uuid.uuid4())  # written by something other than the API
    queue.client.hset(f"{queue.name}:job:{garbage}", mapping={"status": "pending", "inputs": "{not json", "submitted": "0", "attempts": 0})
    queue.client.lpush(queue.name, garbage)
    orphan = str(uuid.uuid4())  # an id whose record is gone
    queue.client.lpush(queue.name, orphan)
    good = submit([B_ROW])
    queue.client.lpush(queue.name, good)  # queued twice: it runs once
    w = worker("worker-b")
    w.wait_ready()
    wait_for(status_is(queue, good, "done"))
    wait_for(lambda: queue.waiting() == [] and queue.processing("worker-b") == [], what="the copy taken too")
    assert submit.client.get(f"/v1/jobs/{narrow}").json()["error"] == "inputs[0] must be a list of 4 numbers"
    assert queue.record(narrow)["status"] == "failed"
    assert queue.record(garbage)["error"].startswith("the job's inputs are not JSON: ")
    assert queue.record(good)["result"] == json.dumps({"predictions": ["b"]})
    assert queue.record(orphan) == {} and queue.waiting() == [] and queue.processing("worker-b") == []
    w.proc.send_signal(signal.SIGTERM)
    exit_status, lines = w.wait_exit()
    assert exit_status == 0
    assert [l["job"] for l in events(lines, "job-dropped")] == [orphan, good]
    assert [l["job"] for l in events(lines, "job-done")] == [good] and queue.record(good)["attempts"] == "1"
    assert len(events(lines, "job-failed")) == 2


@pytest.mark.parametrize("fault, status, field, expected", [
    ("error", "failed", "error", "fault error: this server fails every prediction"),
    ("wrong", "done", "result", json.dumps({"predictions": ["b", "c", "a"]})),  # right: a, b, c
])
def test_faults_apply_to_jobs(submit, worker, queue, fault, status, field, expected):
    job_id = submit([A_ROW, B_ROW, C_ROW])
    worker(MODEL_FAULT=fault).wait_ready()
    wait_for(status_is(queue, job_id, "done", "failed"))
    record = queue.record(job_id)
    assert (record["status"], record[field]) == (status, expected)


def test_a_refused_password_exits_2_and_says_why(worker, queue, redis_server):
    w = worker(REDIS_PASSWORD="wrong-password")
    exit_status, lines = w.wait_exit(timeout=15)
    assert exit_status == 2
    refused = events(lines, "queue-auth-error")
    assert len(refused) == 1 and refused[0]["level"] == "critical"
    assert refused[0]["msg"].startswith(f"the job queue at redis://127.0.0.1:{redis_server.port}/0 refused the password (REDIS_PASSWORD): ")
    assert not any("wrong-password" in json.dumps(line) for line in lines)


def test_an_unreachable_queue_is_retried_not_ready(worker):
    w = worker(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    wait_for(lambda: probes_answer(w), what="the worker's probes")
    assert w.get("/readyz")[2] == {"ready": False}
    time.sleep(0.8)
    assert w.proc.poll() is None  # retrying with backoff, not exiting
    w.proc.send_signal(signal.SIGTERM)
    exit_status, lines = w.wait_exit()
    assert exit_status == 0
    assert events(lines, "queue-unreachable")[0]["msg"].endswith("retrying in 0.5s")


def probes_answer(w):
    try:
        return w.get("/healthz", timeout=1)[0] == 200
    except OSError:
        return False
