"""Canary workers and stable's, on one queue, against a real redis-server: a canary worker takes only its track's list;
the API routes MODEL_CANARY_WEIGHT percent of the untracked jobs there while a canary worker beats; a canary that stops
hands its waiting jobs over to stable; a job a canary crashed on goes to stable, not back to the canary; nothing runs
twice and stable loses nothing."""
import json
import math
import signal

from conftest import A_ROW, B_ROW, C_ROW
from redis_fixtures import events, status_is, wait_for


def routing(queue):
    return queue.client.hgetall(f"{queue.name}:routing")


def test_the_api_sends_the_canary_its_weight_of_the_jobs_and_each_track_runs_its_own(submit, worker, queue):
    canary = worker("canary-0", MODEL_TRACK="canary", MODEL_CANARY_WEIGHT="30")
    canary.wait_ready()
    wait_for(lambda: routing(queue) == {"canary": "30.0"}, what="the canary's routing")
    assert 0 < queue.client.ttl(f"{queue.name}:routing") <= 30  # it expires with the canary's heartbeats
    n = 400
    ids = [submit([A_ROW]) for _ in range(n)]
    routed = [queue.record(i)["queued_for"] for i in ids]
    to_canary = routed.count("canary")
    sd = math.sqrt(n * 0.3 * 0.7)
    assert abs(to_canary - n * 0.3) < 4 * sd, f"{to_canary} of {n} routed to the canary"  # binomial, 4 sigma
    assert set(routed) == {"canary", "stable"}
    stable = worker("stable-0", MODEL_TRACK="stable")
    stable.wait_ready()
    for i in ids:
        wait_for(status_is(queue, i, "done"), what=f"job {i} done")
    for i, track in zip(ids, routed):
        record = queue.record(i)
        assert (record["worker_track"], record["attempts"]) == (track, "1")
    for w in (canary, stable):
        w.proc.send_signal(signal.SIGTERM)
        assert w.wait_exit()[0] == 0
    assert routing(queue) == {}  # the canary stopped routing as it drained


def test_a_stopping_canary_hands_its_waiting_jobs_to_stable_and_none_runs_twice(submit, worker, queue):
    canary = worker("canary-1", MODEL_TRACK="canary", MODEL_CANARY_WEIGHT="50", MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="1500",
                    DRAIN_TIMEOUT_SECONDS="10")
    canary.wait_ready()
    ids = [submit([row], track="canary") for row in (A_ROW, B_ROW, C_ROW, A_ROW)]
    wait_for(status_is(queue, ids[0], "running"), what="the canary's first job running")
    canary.proc.send_signal(signal.SIGTERM)
    exit_status, lines = canary.wait_exit()
    assert exit_status == 0
    assert queue.record(ids[0])["status"] == "done" and queue.record(ids[0])["worker_track"] == "canary"  # finished in the drain
    assert queue.waiting("canary") == [] and queue.waiting() == list(reversed(ids[1:]))  # the oldest at the right end: taken first
    assert events(lines, "jobs-handed-over")[0]["jobs"] == 3
    assert routing(queue) == {}
    stable = worker("stable-1", MODEL_TRACK="stable")
    for i in ids[1:]:
        wait_for(status_is(queue, i, "done"), what=f"job {i} done by stable")
    assert [queue.record(i)["worker_track"] for i in ids[1:]] == ["stable"] * 3
    assert all(queue.record(i)["attempts"] == "1" for i in ids)  # each ran once
    stable.proc.send_signal(signal.SIGTERM)
    _, lines = stable.wait_exit()
    assert [l["job"] for l in events(lines, "job-done")] == ids[1:]  # in submission order


def test_a_job_a_canary_crashed_on_is_done_once_by_stable(submit, worker, queue):
    job_id = submit([B_ROW], track="canary")
    crashed = worker("canary-2", MODEL_TRACK="canary", MODEL_FAULT="crash-on-job")
    exit_status, _ = crashed.wait_exit()
    assert exit_status == 3 and queue.processing("canary-2") == [job_id]
    restarted = worker("canary-2", MODEL_TRACK="canary", MODEL_FAULT="crash-on-job")  # the kubelet's restart, same HOSTNAME
    restarted.wait_ready()
    wait_for(lambda: queue.waiting() == [job_id], what="the job given to stable")
    assert queue.waiting("canary") == [] and queue.processing("canary-2") == []  # not back to the canary
    stable = worker("stable-2", MODEL_TRACK="stable")
    wait_for(status_is(queue, job_id, "done"))
    record = queue.record(job_id)
    assert (record["worker_track"], record["attempts"], record["result"]) == ("stable", "2", json.dumps({"predictions": ["b"]}))
    for w in (restarted, stable):
        w.proc.send_signal(signal.SIGTERM)
        w.wait_exit()


def test_a_track_with_no_worker_left_is_handed_to_stable_by_a_stable_worker(submit, worker, queue):
    ids = [submit([A_ROW], track="canary"), submit([C_ROW], track="canary")]  # a canary that died before it took them
    queue.client.set(f"{queue.name}:worker:gone-canary", "canary", ex=1)
    wait_for(lambda: not queue.client.exists(f"{queue.name}:worker:gone-canary"), timeout=5, what="its heartbeat to expire")
    stable = worker("stable-3", MODEL_TRACK="stable")
    for i in ids:
        wait_for(status_is(queue, i, "done"))
    assert queue.waiting("canary") == [] and [queue.record(i)["worker_track"] for i in ids] == ["stable", "stable"]
    stable.proc.send_signal(signal.SIGTERM)
    _, lines = stable.wait_exit()
    assert events(lines, "jobs-handed-over")[0] == {**events(lines, "jobs-handed-over")[0], "jobs": 2, "track": "canary"}
    assert [l["job"] for l in events(lines, "job-done")] == ids


def test_a_live_canary_keeps_its_list(submit, worker, queue):
    canary = worker("canary-4", MODEL_TRACK="canary", MODEL_FAULT="never-ready")  # beats, takes nothing
    wait_for(lambda: queue.client.get(f"{queue.name}:worker:canary-4") == "canary", what="the canary's heartbeat")
    job_id = submit([A_ROW], track="canary")
    stable = worker("stable-4", MODEL_TRACK="stable")
    stable.wait_ready()
    assert queue.waiting("canary") == [job_id] and queue.record(job_id)["status"] == "pending"
    for w in (canary, stable):
        w.proc.send_signal(signal.SIGTERM)
        w.wait_exit()
