"""The worker stopped or dead mid-job, against a real redis-server: on SIGTERM the job running finishes (or, after
DRAIN_TIMEOUT_SECONDS, goes back to the queue) and no other is taken; a job whose worker crashed is requeued by the
next start with the same HOSTNAME; every job ends with one outcome, written once; a job that kills every worker fails."""
import json
import signal

from conftest import A_ROW, B_ROW, C_ROW
from redis_fixtures import events, status_is, wait_for


def test_sigterm_lets_the_job_running_finish_and_takes_no_other(submit, worker, queue):
    first, second = submit([A_ROW]), submit([B_ROW])
    w = worker("worker-s", MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="1200", DRAIN_TIMEOUT_SECONDS="10")
    w.wait_ready()
    wait_for(status_is(queue, first, "running"), what="the first job running")
    w.proc.send_signal(signal.SIGTERM)
    exit_status, lines = w.wait_exit()
    assert exit_status == 0
    assert queue.record(first)["status"] == "done" and queue.record(first)["result"] == json.dumps({"predictions": ["a"]})
    assert queue.record(second)["status"] == "pending" and queue.waiting() == [second]  # still there, for the next worker
    assert queue.processing("worker-s") == []
    assert [l["job"] for l in events(lines, "job-done")] == [first]
    assert events(lines, "draining")[0]["job"] == first
    assert lines[-1]["event"] == "stopped" and not events(lines, "exit-now")


def test_the_drain_timeout_gives_the_job_back_and_it_runs_once(submit, worker, queue):
    job_id, later = submit([C_ROW]), submit([A_ROW])
    w = worker("worker-t", MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="5000", DRAIN_TIMEOUT_SECONDS="0.5")
    w.wait_ready()
    wait_for(status_is(queue, job_id, "running"))
    w.proc.send_signal(signal.SIGTERM)
    exit_status, lines = w.wait_exit(timeout=5)
    assert exit_status == 0
    assert lines[-1]["event"] == "exit-now" and (lines[-1]["job"], lines[-1]["requeued"]) == (job_id, True)
    assert queue.record(job_id)["status"] == "pending"
    assert queue.waiting() == [later, job_id]  # at the head: taken next
    assert queue.processing("worker-t") == [] and not events(lines, "job-done")

    again = worker("worker-u")  # another pod
    again.wait_ready()
    wait_for(status_is(queue, later, "done"))
    record = queue.record(job_id)
    assert (record["status"], record["attempts"], record["worker"]) == ("done", "2", "worker-u")
    again.proc.send_signal(signal.SIGTERM)
    _, lines = again.wait_exit()
    assert [l["job"] for l in events(lines, "job-done")] == [job_id, later]  # the given-back job first, each once


def test_a_job_whose_worker_crashed_is_recovered_and_done_once(submit, worker, queue):
    job_id = submit([B_ROW, C_ROW])
    crashed = worker("worker-c", MODEL_FAULT="crash-on-job")
    exit_status, lines = crashed.wait_exit()
    assert exit_status == 3
    assert events(lines, "fault")[0]["msg"] == "fault crash-on-job: exiting with status 3 on the first prediction"
    assert queue.record(job_id)["status"] == "running"  # as the crash left it
    assert queue.processing("worker-c") == [job_id] and queue.waiting() == []

    restarted = worker("worker-c")  # the same pod, restarted by the kubelet: same HOSTNAME
    wait_for(status_is(queue, job_id, "done"))
    record = queue.record(job_id)
    assert (record["attempts"], record["result"]) == ("2", json.dumps({"predictions": ["b", "c"]}))
    assert queue.processing("worker-c") == [] and queue.waiting() == []
    restarted.proc.send_signal(signal.SIGTERM)
    _, lines = restarted.wait_exit()
    assert events(lines, "jobs-recovered")[0]["jobs"] == [job_id]
    assert len(events(lines, "job-done")) == 1


def test_a_job_that_keeps_killing_its_worker_fails_instead_of_crash_looping(submit, worker, queue):
    job_id = submit([A_ROW])
    first = worker("worker-k", MODEL_FAULT="crash-on-job", MODEL_JOB_MAX_ATTEMPTS="1")
    assert first.wait_exit()[0] == 3
    second = worker("worker-k", MODEL_FAULT="crash-on-job", MODEL_JOB_MAX_ATTEMPTS="1")  # it would crash again
    wait_for(status_is(queue, job_id, "failed"))
    record = queue.record(job_id)
    assert record["error"] == "gave up after 1 attempt: each time, the worker running it stopped before it ended"
    assert record["attempts"] == "2" and "result" not in record
    assert second.proc.poll() is None  # alive: it never ran the job
    assert queue.processing("worker-k") == [] and queue.waiting() == []


def test_the_jobs_of_a_pod_that_is_gone_are_requeued_by_any_worker(submit, worker, queue):
    gone, alive = submit([A_ROW]), submit([B_ROW])
    for job_id, pod in ((gone, "pod-gone"), (alive, "pod-alive")):  # as two workers left them: taken, never finished
        assert queue.client.rpop(queue.name) == job_id
        queue.client.lpush(f"{queue.name}:processing:{pod}", job_id)
    queue.client.set(f"{queue.name}:worker:pod-alive", "1", ex=60)  # pod-alive's heartbeat has not expired
    w = worker("worker-o")
    wait_for(status_is(queue, gone, "done"))
    assert queue.processing("pod-gone") == []
    assert queue.processing("pod-alive") == [alive] and queue.record(alive)["status"] == "pending"  # not taken from a live worker
    assert 0 < queue.client.ttl(f"{queue.name}:worker:worker-o") <= 30  # its own heartbeat
    w.proc.send_signal(signal.SIGTERM)
    _, lines = w.wait_exit()
    assert events(lines, "jobs-recovered")[0]["jobs"] == [gone]


def test_an_outcome_is_written_only_by_the_worker_still_holding_the_job(submit, worker, queue):
    job_id = submit([A_ROW])
    w = worker("worker-l", MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="800")
    wait_for(status_is(queue, job_id, "running"))
    # What another worker does when this one's heartbeat has expired (Redis unreachable from it for 30 s): requeue.
    assert queue.client.lrem(f"{queue.name}:processing:worker-l", 0, job_id) == 1
    queue.client.rpush(queue.name, job_id)
    queue.client.hset(f"{queue.name}:job:{job_id}", "status", "pending")
    wait_for(lambda: queue.record(job_id).get("attempts") == "2" and queue.record(job_id)["status"] == "done")
    w.proc.send_signal(signal.SIGTERM)
    _, lines = w.wait_exit()
    assert [l["msg"] for l in events(lines, "job-lost")] == ["job outcome (done) discarded: the job is no longer this worker's"]
    assert len(events(lines, "job-done")) == 1  # the second run's; the first run's outcome was not written
