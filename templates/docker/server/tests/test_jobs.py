"""Batch jobs over HTTP (POST /v1/jobs, GET /v1/jobs/ID) against a real redis-server: what a submission writes, the
refusals, and the 503s without a queue or with a wrong password."""
import json
import uuid

import pytest

from conftest import A_ROW, B_ROW, free_port
from model_server.jobs import NO_QUEUE


def test_a_submission_is_queued_pending_with_a_ttl(make_server, classifier_dir, queue):
    s = make_server(classifier_dir, MODEL_RESULT_TTL_SECONDS="120", **queue.env)
    r = s.client.post("/v1/jobs", json={"inputs": [A_ROW, B_ROW], "track": "canary"})
    assert r.status_code == 202
    job_id = r.json()["id"]
    assert r.json() == {"id": job_id, "status": "pending", "queued_for": "canary"}
    assert str(uuid.UUID(job_id)) == job_id
    assert r.headers["location"] == f"/v1/jobs/{job_id}"
    assert queue.waiting("canary") == [job_id] and queue.waiting() == []  # the canary's own list
    record = queue.record(job_id)
    assert (record["status"], json.loads(record["inputs"]), record["track"], record["attempts"]) == ("pending", [A_ROW, B_ROW], "canary", "0")
    assert 0 < queue.client.ttl(f"{queue.name}:job:{job_id}") <= 120
    got = s.client.get(f"/v1/jobs/{job_id}")
    assert (got.status_code, got.json()) == (200, {"id": job_id, "status": "pending", "track": "canary", "queued_for": "canary", "attempts": 0})


def test_the_default_queue_and_ttl(make_server, classifier_dir, queue):
    env = {k: v for k, v in queue.env.items() if k != "MODEL_QUEUE"}
    s = make_server(classifier_dir, MODEL_NAME="iris", **env)
    job_id = s.client.post("/v1/jobs", json={"inputs": [A_ROW]}).json()["id"]
    try:
        assert queue.client.lrange("model-canary:iris:jobs", 0, -1) == [job_id]
        assert 3500 < queue.client.ttl(f"model-canary:iris:jobs:job:{job_id}") <= 3600
    finally:
        queue.client.delete("model-canary:iris:jobs", f"model-canary:iris:jobs:job:{job_id}")


def test_jobs_are_first_in_first_out(make_server, classifier_dir, queue):
    s = make_server(classifier_dir, **queue.env)
    ids = [s.client.post("/v1/jobs", json={"inputs": [A_ROW]}).json()["id"] for _ in range(3)]
    assert [queue.client.rpop(queue.name) for _ in ids] == ids  # workers take from the right


def test_an_unknown_job_is_404(make_server, classifier_dir, queue):
    s = make_server(classifier_dir, **queue.env)
    missing = str(uuid.uuid4())
    r = s.client.get(f"/v1/jobs/{missing}")
    assert (r.status_code, r.json()) == (404, {"error": f"job {missing!r} not found (never submitted, or its record expired)"})
    r = s.client.get("/v1/jobs/not-a-job")
    assert (r.status_code, r.json()) == (404, {"error": "job 'not-a-job' not found: not a job id"})


@pytest.mark.parametrize(
    "body, message",
    [
        ({"instances": [A_ROW]}, 'the body must be a JSON object with "inputs": a list of rows of numbers'),
        ({"inputs": []}, '"inputs" must be a non-empty list of rows of numbers'),
        ({"inputs": [[1.0, "x"]]}, 'inputs[0][1] is "x", not a number'),
        ({"inputs": [[1.0, 2.0], [1.0]]}, "inputs[1] must be a list of 2 numbers"),
        ({"inputs": [A_ROW, A_ROW, A_ROW]}, '"inputs" holds 3 rows; at most 2 are allowed'),
        ({"inputs": [A_ROW], "track": "can ary"}, '"track" must be a name of at most 63 letters, digits, ".", "_" or "-"'),
    ],
)
def test_bad_submissions_are_400_and_not_queued(make_server, classifier_dir, queue, body, message):
    s = make_server(classifier_dir, MAX_BATCH="2", **queue.env)
    r = s.client.post("/v1/jobs", json=body)
    assert (r.status_code, r.json()) == (400, {"error": message})
    assert queue.waiting() == []


def test_without_redis_url_the_job_routes_answer_503(make_server, classifier_dir):
    s = make_server(classifier_dir)
    for r in (s.client.post("/v1/jobs", json={"inputs": [A_ROW]}), s.client.get(f"/v1/jobs/{uuid.uuid4()}")):
        assert (r.status_code, r.json()) == (503, {"error": NO_QUEUE})
    assert s.client.post("/v1/models/model:predict", json={"instances": [A_ROW]}).json() == {"predictions": ["a"]}


@pytest.mark.parametrize("password", ["wrong-password", None])
def test_a_refused_password_answers_503_and_why(make_server, classifier_dir, queue, redis_server, password):
    env = {**queue.env, "REDIS_PASSWORD": password or ""}
    s = make_server(classifier_dir, **env)
    r = s.client.post("/v1/jobs", json={"inputs": [A_ROW]})
    assert r.status_code == 503
    reason = r.json()["error"]
    assert reason.startswith(f"the job queue at redis://127.0.0.1:{redis_server.port}/0 refused the password (REDIS_PASSWORD): ")
    assert redis_server.password not in reason
    assert s.client.get(f"/v1/jobs/{uuid.uuid4()}").json()["error"] == reason
    assert queue.waiting() == []


def test_redis_password_wins_over_the_url_and_is_never_shown(make_server, classifier_dir, queue, redis_server):
    url = f"redis://:url-secret@127.0.0.1:{redis_server.port}/0"
    assert make_server(classifier_dir, **{**queue.env, "REDIS_URL": url}).client.post("/v1/jobs", json={"inputs": [A_ROW]}).status_code == 202
    s = make_server(classifier_dir, **{**queue.env, "REDIS_URL": url, "REDIS_PASSWORD": ""})
    r = s.client.post("/v1/jobs", json={"inputs": [A_ROW]})
    assert r.status_code == 503 and "url-secret" not in r.json()["error"]


def test_an_unreachable_queue_answers_503(make_server, classifier_dir):
    port = free_port()
    s = make_server(classifier_dir, REDIS_URL=f"redis://127.0.0.1:{port}/0")
    r = s.client.post("/v1/jobs", json={"inputs": [A_ROW]})
    assert r.status_code == 503
    assert r.json()["error"].startswith(f"the job queue at redis://127.0.0.1:{port}/0 is unreachable: ")


def test_submissions_are_counted_as_model_requests(make_server, classifier_dir, queue):
    s = make_server(classifier_dir, **queue.env)
    s.client.post("/v1/jobs", json={"inputs": [A_ROW]})
    s.client.post("/v1/jobs", json={"inputs": []})
    text = s.client.get("/metrics").text
    for status in ("202", "400"):
        assert f'model_requests_total{{model="model",route="/v1/jobs",status="{status}",track="unknown",version="v7"}} 1.0' in text
