"""/metrics: model requests counted by route, status and track; probes and scrapes not counted; off without the
client library or with MODEL_METRICS=off."""
import sys

from conftest import A_ROW, C_ROW


def samples(client, name):
    """{labels as a sorted tuple of (key, value): value} for the samples named name in the exposition."""
    from prometheus_client.parser import text_string_to_metric_families

    r = client.get("/metrics")
    assert r.status_code == 200, r.text
    found = {}
    for family in text_string_to_metric_families(r.text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def labels(**extra):
    return tuple(sorted({"model": "model", "version": "v7", "track": "canary", **extra}.items()))


def test_a_request_is_counted_by_route_status_and_track(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_TRACK="canary")
    s.client.post("/v1/models/model:predict", json={"instances": [A_ROW]})
    s.client.post("/v1/models/model:predict", json={"instances": [A_ROW, C_ROW]})
    s.client.post("/v1/models/model:predict", json={"instances": [[1]]})
    s.client.get("/no/such/path")
    requests = samples(s.client, "model_requests_total")
    assert requests == {
        labels(route="/v1/models/{model}:predict", status="200"): 2.0,
        labels(route="/v1/models/{model}:predict", status="400"): 1.0,
        labels(route="unmatched", status="404"): 1.0,
        # The prediction routes' success series exist from the load on, at 0.
        labels(route="/v2/models/{model}/infer", status="200"): 0.0,
        labels(route="/v2/models/{model}/versions/{version}/infer", status="200"): 0.0,
    }
    assert samples(s.client, "model_request_duration_seconds_count")[labels(route="/v1/models/{model}:predict")] == 3.0
    assert samples(s.client, "model_requests_in_flight") == {labels(): 0.0}
    assert samples(s.client, "model_predictions_total") == {labels(**{"class": "a"}): 2.0, labels(**{"class": "b"}): 0.0, labels(**{"class": "c"}): 1.0}
    assert samples(s.client, "model_load_duration_seconds")[labels()] > 0


def test_probes_and_scrapes_are_not_counted(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_TRACK="canary")
    for path in ("/healthz", "/readyz", "/v2/health/live", "/v2/health/ready", "/v2/models/model/ready", "/metrics"):
        assert s.client.get(path).status_code == 200
    assert s.client.get("/v1/models/model", headers={"User-Agent": "kube-probe/1.30"}).status_code == 200
    assert set(samples(s.client, "model_requests_total").values()) == {0.0}  # only the series made at load, at 0
    s.client.get("/v1/models/model")  # the same metadata request, not from the kubelet, counts
    counted = {k: v for k, v in samples(s.client, "model_requests_total").items() if v > 0}
    assert counted == {labels(route="/v1/models/{model}", status="200"): 1.0}


def test_metrics_off(make_server, classifier_dir):
    s = make_server(classifier_dir, MODEL_METRICS="off")
    s.client.post("/v1/models/model:predict", json={"instances": [A_ROW]})
    r = s.client.get("/metrics")
    assert (r.status_code, r.text) == (503, "/metrics is off (MODEL_METRICS=off): no request is counted or timed\n")


def test_metrics_without_prometheus_client(make_server, classifier_dir, monkeypatch):
    monkeypatch.setitem(sys.modules, "prometheus_client", None)  # import prometheus_client raises ImportError
    s = make_server(classifier_dir)
    assert s.client.post("/v1/models/model:predict", json={"instances": [A_ROW]}).status_code == 200
    r = s.client.get("/metrics")
    assert r.status_code == 503
    assert r.text.startswith("/metrics is off: this image has no prometheus_client (Debian: python3-prometheus-client")
