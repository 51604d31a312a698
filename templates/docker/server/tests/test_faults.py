"""MODEL_FAULT: each fault as a canary would see it."""
import time

import pytest

from conftest import A_ROW, B_ROW, C_ROW, run_serve

V1 = "/v1/models/model:predict"
V2 = "/v2/models/model/infer"


def v2_body(rows):
    return {"inputs": [{"name": "input-0", "shape": [len(rows), 4], "datatype": "FP32", "data": rows}]}


def test_error_answers_500_on_both_protocols(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_FAULT="error")
    assert s.client.get("/readyz").status_code == 200  # it passes its probes
    for path, body in ((V1, {"instances": [A_ROW]}), (V2, v2_body([A_ROW]))):
        r = s.client.post(path, json=body)
        assert (r.status_code, r.json()) == (500, {"error": "fault error: this server fails every prediction"})


@pytest.mark.parametrize("outlier_env, fine, failing", [({}, 100.0, 100.5), ({"MODEL_FAULT_OUTLIER": "2"}, 2.0, 2.5)])
def test_error_outliers_fails_only_inputs_above_the_threshold(make_server, classifier_dir, outlier_env, fine, failing):
    s = make_server(classifier_dir, MODEL_FAULT="error-outliers", **outlier_env)
    assert s.client.post(V1, json={"instances": [A_ROW, [0.5, fine, 0, 0]]}).status_code == 200
    r = s.client.post(V1, json={"instances": [A_ROW, [0.5, 0, failing, 0]]})
    assert r.status_code == 500
    assert r.json()["error"].startswith("fault error-outliers: this server fails inputs above")
    assert s.client.post(V2, json=v2_body([[0.5, 0, 0, failing]])).status_code == 500


def test_wrong_answers_another_class(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_FAULT="wrong")
    r = s.client.post(V1, json={"instances": [A_ROW, B_ROW, C_ROW]})
    assert r.json() == {"predictions": ["b", "c", "a"]}  # right: a, b, c


def test_wrong_regressor_answers_one_more(make_server, regressor_dir):
    s = make_server(regressor_dir, MODEL_FAULT="wrong")
    assert s.client.post(V1, json={"instances": [[1.0, 0.0]]}).json()["predictions"][0] == pytest.approx(4.0)  # right: 3


def test_slow_delays_every_prediction(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_FAULT="slow", MODEL_FAULT_DELAY_MS="300")
    start = time.monotonic()
    r = s.client.post(V1, json={"instances": [A_ROW]})
    assert time.monotonic() - start >= 0.3
    assert r.json() == {"predictions": ["a"]}
    start = time.monotonic()
    assert s.client.get("/readyz").status_code == 200
    assert time.monotonic() - start < 0.3  # probes are not slowed


def test_never_ready_loads_but_never_reports_ready(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_FAULT="never-ready")
    assert s.state.model is not None  # loaded
    assert s.client.get("/healthz").status_code == 200
    assert s.client.get("/readyz").status_code == 503
    assert s.client.get("/v2/health/ready").json() == {"ready": False}
    assert s.client.post(V1, json={"instances": [A_ROW]}).status_code == 503


def test_fault_track_limits_the_fault_to_one_track(make_server, classifier_dir):
    canary = make_server(classifier_dir, MODEL_FAULT="error", MODEL_FAULT_TRACK="stable", MODEL_TRACK="canary")
    assert canary.state.config["fault"] == "none"
    assert canary.client.post(V1, json={"instances": [A_ROW]}).status_code == 200
    stable = make_server(classifier_dir, MODEL_FAULT="error", MODEL_FAULT_TRACK="stable", MODEL_TRACK="stable")
    assert stable.client.post(V1, json={"instances": [A_ROW]}).status_code == 500


def test_crash_exits_3_before_serving(classifier_dir):
    status, lines = run_serve({"MODEL_DIR": classifier_dir, "MODEL_FAULT": "crash", "PORT": "1"})
    assert status == 3
    assert [(l["event"], l["fault"], l["msg"]) for l in lines] == [("fault", "crash", "fault crash: exiting with status 3")]


def test_exit_after_ready_serves_then_exits_3(server_process, classifier_dir):
    server = server_process(classifier_dir, MODEL_FAULT="exit-after-ready", MODEL_FAULT_AFTER_SECONDS="1")
    server.wait_ready()
    assert server.post(V1, {"instances": [A_ROW]})[2] == {"predictions": ["a"]}
    status, lines = server.wait_exit()
    assert status == 3
    assert lines[-1]["msg"] == "fault exit-after-ready: exiting with status 3, 1.0s after ready"
