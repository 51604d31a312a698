"""Draining on SIGTERM, with a real server process: readiness goes false while requests are still served, in-flight
requests finish, and the process exits 0; a second signal, or the drain timeout, ends it at once."""
import signal
import threading
import time
import urllib.error

import pytest

from conftest import A_ROW

V1 = "/v1/models/model:predict"


def in_background(fn):
    """Runs fn in a thread; returns a function that waits for it and answers its result (or raises its error)."""
    box = {}

    def run():
        try:
            box["result"] = fn()
        except Exception as exc:  # handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def result(timeout=20):
        thread.join(timeout)
        if "error" in box:
            raise box["error"]
        return box["result"]

    return result


def test_sigterm_drains(server_process, classifier_dir):
    server = server_process(classifier_dir, MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="1500", DRAIN_DELAY_SECONDS="2", DRAIN_TIMEOUT_SECONDS="10")
    server.wait_ready()
    in_flight = in_background(lambda: server.post(V1, {"instances": [A_ROW]}))
    time.sleep(0.3)  # the prediction has started
    server.proc.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    status, _, body = server.get("/readyz")
    assert (status, body) == (503, {"ready": False})
    assert server.get("/v2/health/ready")[0] == 503
    live = server.get("/healthz")
    assert (live[0], live[2]) == (200, {"live": True})  # still served during the drain delay
    predict = server.post(V1, {"instances": [A_ROW]}, timeout=5)  # a new model request too, answered slowly
    assert predict[0] == 200
    answered = in_flight()
    assert (answered[0], answered[2]) == (200, {"predictions": ["a"]})

    exit_status, lines = server.wait_exit()
    assert exit_status == 0
    events = [l.get("event") for l in lines]
    draining = lines[events.index("draining")]
    assert (draining["signal"], draining["delay_seconds"], draining["timeout_seconds"]) == ("SIGTERM", 2.0, 10.0)
    assert draining["msg"] == "signal received: readiness is false; draining"
    assert events[-1] == "stopped"
    assert "exit-now" not in events


def test_the_drain_timeout_drops_what_is_left(server_process, classifier_dir):
    server = server_process(classifier_dir, MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="5000", DRAIN_DELAY_SECONDS="0.2", DRAIN_TIMEOUT_SECONDS="0.5")
    server.wait_ready()
    in_flight = in_background(lambda: server.post(V1, {"instances": [A_ROW]}))
    time.sleep(0.3)
    started = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    exit_status, lines = server.wait_exit()
    assert exit_status == 0
    assert time.monotonic() - started < 4  # not the 5 s the prediction needs
    assert lines[-1]["event"] == "exit-now"
    assert lines[-1]["msg"] == "drain timed out; exiting with requests unfinished"
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        in_flight()


def test_a_second_signal_exits_at_once(server_process, classifier_dir):
    server = server_process(classifier_dir, DRAIN_DELAY_SECONDS="30")
    server.wait_ready()
    server.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    assert server.get("/readyz")[0] == 503
    server.proc.send_signal(signal.SIGINT)
    exit_status, lines = server.wait_exit(timeout=5)
    assert exit_status == 0
    assert (lines[-1]["event"], lines[-1]["msg"]) == ("exit-now", "second signal: exiting at once")


def test_responses_say_connection_close_while_draining(make_server, classifier_dir):
    s = make_server(classifier_dir)
    assert "connection" not in s.client.get("/readyz").headers
    s.state.draining = True  # what the first signal does
    r = s.client.post(V1, json={"instances": [A_ROW]})
    assert (r.status_code, r.headers["connection"]) == (200, "close")
    not_ready = s.client.get("/readyz")
    assert (not_ready.status_code, not_ready.headers["connection"]) == (503, "close")
    assert s.client.get("/v1/models/model").json() == {"name": "model", "ready": False}
