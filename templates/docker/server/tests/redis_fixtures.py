"""Fixtures for the batch jobs' tests: a real redis-server (Debian's redis-server) for the test session, on a free
port, with a password and no persistence, in a temporary folder; a queue of its own for each test."""
import os
import secrets
import shutil
import subprocess
import time
import uuid
from types import SimpleNamespace

import pytest

REDIS_HINT = "apt-get install redis-server python3-redis (cluster/prereqs.sh)"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """SimpleNamespace(url, password, port, client): a redis-server with --requirepass, stopped after the session."""
    from conftest import free_port

    try:
        import redis
    except ImportError:
        pytest.fail(f"the batch jobs' tests need redis-py: {REDIS_HINT}")
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(binary):
        pytest.fail(f"the batch jobs' tests need redis-server: {REDIS_HINT}")
    folder = tmp_path_factory.mktemp("redis")
    port, password = free_port(), secrets.token_hex(12)
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", password,
            "--dir", str(folder), "--logfile", str(folder / "redis.log"), "--daemonize", "no"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(host="127.0.0.1", port=port, password=password, decode_responses=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (folder / "redis.log").read_text() if (folder / "redis.log").exists() else ""
                pytest.fail(f"redis-server did not start (exit {proc.poll()}): {log[-2000:]}")
            time.sleep(0.05)
    yield SimpleNamespace(url=f"redis://127.0.0.1:{port}/0", password=password, port=port, client=client)
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def queue(redis_server):
    """A queue of the test's own: .env (REDIS_URL, REDIS_PASSWORD, MODEL_QUEUE) for a server or a worker, .name, and
    readers of its keys."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    client = redis_server.client
    env = {"REDIS_URL": redis_server.url, "REDIS_PASSWORD": redis_server.password, "MODEL_QUEUE": name}
    return SimpleNamespace(
        env=env,
        name=name,
        client=client,
        waiting=lambda track=None: client.lrange(f"{name}:track:{track}" if track else name, 0, -1),
        processing=lambda worker: client.lrange(f"{name}:processing:{worker}", 0, -1),
        record=lambda job_id: client.hgetall(f"{name}:job:{job_id}"),
    )


@pytest.fixture
def submit(make_server, classifier_dir, queue):
    """submit(rows, **body): a job submitted through the API (in this process), its id."""
    api = make_server(classifier_dir, load=False, **queue.env)

    def post(rows, **body):
        r = api.client.post("/v1/jobs", json={"inputs": rows, **body})
        assert r.status_code == 202, r.text
        return r.json()["id"]

    post.client = api.client
    return post


@pytest.fixture
def worker(server_process, classifier_dir, queue):
    """worker(name, **env): a started worker process (HOSTNAME name) on the test's queue."""

    def start(name="worker-0", **env):
        return server_process(classifier_dir, **{"MODEL_MODE": "worker", "HOSTNAME": name, **queue.env, **env})

    return start


def status_is(queue, job_id, *statuses):
    return lambda: queue.record(job_id).get("status") in statuses


def events(lines, name):
    return [line for line in lines if line.get("event") == name]


def wait_for(fn, timeout=15, every=0.05, what="the condition"):
    """fn()'s first truthy answer, polled; AssertionError after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
