"""Metrics: the Prometheus text format at /metrics, in a registry of the server's own."""
import logging
import os

from .logs import event

# Request latency buckets, in seconds: from 1 ms (a small scikit-learn model answers in about that) to 30 s (a large
# model on CPU, or a big batch), each about 2 to 2.5 times the one before, so a quantile read from them
# (histogram_quantile) is off by at most one bucket's width; slower requests land in +Inf only.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Endpoints that are not model requests: liveness, readiness and the scrape itself. The kubelet's probes (User-Agent
# kube-probe/...) are left out on any path, so a readiness probe on a metadata endpoint (KServe V1's /v1/models/NAME)
# is not counted either.
PROBE_PATHS = frozenset(("/metrics", "/healthz", "/readyz", "/v2/health/live", "/v2/health/ready"))
METRICS_OFF = ("/metrics is off: this image has no prometheus_client (Debian: python3-prometheus-client, pip: "
               "prometheus-client); the server runs without metrics")


# The path templates of the prediction routes (v1.py, v2.py), as the middleware labels them.
PREDICT_ROUTES = ("/v1/models/{model}:predict", "/v2/models/{model}/infer", "/v2/models/{model}/versions/{version}/infer")


def is_model_request(scope):
    """Whether an HTTP request counts in the request metrics: not a probe, not a scrape."""
    path = scope.get("path", "")
    if path in PROBE_PATHS or (path.startswith("/v2/models/") and path.endswith("/ready")):
        return False
    user_agent = next((v for k, v in scope.get("headers", ()) if k == b"user-agent"), b"")
    return not user_agent.startswith(b"kube-probe/")


class ServerMetrics:
    """The server's metrics, in a registry of their own (so every series is ours and carries model, version and
    track). The version is read when a series is touched: the card's variant once the model is loaded."""

    available = True
    serves_requests = True  # False on a batch worker (MODEL_MODE=worker)

    def __init__(self, prometheus_client, model, track, version):
        self.client = prometheus_client
        self.model, self.track, self.version = model, track, version
        self.registry = registry = prometheus_client.CollectorRegistry()
        common = ("model", "version", "track")
        self.requests = prometheus_client.Counter(
            "model_requests", "Model requests answered, by route (the path template) and HTTP status; probes and scrapes are not counted.",
            common + ("route", "status"), registry=registry)
        self.duration = prometheus_client.Histogram(
            "model_request_duration_seconds", "Time from a model request's arrival to the end of its response, by route.",
            common + ("route",), buckets=LATENCY_BUCKETS, registry=registry)
        self.in_flight = prometheus_client.Gauge(
            "model_requests_in_flight", "Model requests being served now.", common, registry=registry)
        self.load_seconds = prometheus_client.Gauge(
            "model_load_duration_seconds", "Seconds from the server's start until the model was loaded and answered its warm-up prediction.",
            common, registry=registry)
        self.predictions = prometheus_client.Counter(
            "model_predictions", "Rows a classifier predicted, by the class it answered.", common + ("class",), registry=registry)

    def labels(self):
        return (self.model, self.version(), self.track)

    def request_started(self, labels):
        self.in_flight.labels(*labels).inc()

    def request_ended(self, labels, route, status, seconds):
        self.in_flight.labels(*labels).dec()
        self.requests.labels(*labels, route, str(status)).inc()
        self.duration.labels(*labels, route).observe(seconds)

    def model_loaded(self, seconds, class_names):
        labels = self.labels()
        self.load_seconds.labels(*labels).set(seconds)
        # The prediction routes' success series from the start, at 0: a pod no request has reached yet reports a
        # rate of 0 (an HPA on requests per second can scale down onto it) instead of no series at all.
        for route in PREDICT_ROUTES if self.serves_requests else ():  # not on a batch worker: it has no such routes
            self.requests.labels(*labels, route, "200")
            self.in_flight.labels(*labels)
        for name in class_names or ():  # every class from the start, at 0: a share of classes sees the ones never answered
            self.predictions.labels(*labels, name)

    def predicted(self, class_names):
        labels = self.labels()
        counts = {}
        for name in class_names:
            counts[name] = counts.get(name, 0) + 1
        for name, n in counts.items():
            self.predictions.labels(*labels, name).inc(n)

    def exposition(self):
        return self.client.generate_latest(self.registry), self.client.CONTENT_TYPE_LATEST


class NoMetrics:
    """Stands in for ServerMetrics when prometheus_client is not installed (or MODEL_METRICS is off): records nothing."""

    available = False

    def __init__(self, reason=METRICS_OFF):
        self.reason = reason

    def labels(self):
        return ()

    def request_started(self, labels):
        pass

    def request_ended(self, labels, route, status, seconds):
        pass

    def model_loaded(self, seconds, class_names):
        pass

    def predicted(self, class_names):
        pass


def load_metrics(config, version):
    """ServerMetrics, or NoMetrics (said once, in the log) when the image has no prometheus_client or MODEL_METRICS
    is off."""
    if os.environ.get("MODEL_METRICS", "").strip().lower() in ("off", "false", "0"):
        reason = "/metrics is off (MODEL_METRICS=off): no request is counted or timed"
        event(logging.INFO, reason, event="metrics-off")
        return NoMetrics(reason)
    # No <name>_created series beside each counter and histogram (read at import; set it to false to have them).
    os.environ.setdefault("PROMETHEUS_DISABLE_CREATED_SERIES", "true")
    try:
        import prometheus_client
    except ImportError:
        event(logging.WARNING, METRICS_OFF, event="metrics-off")
        return NoMetrics()
    return ServerMetrics(prometheus_client, config["model_name"], config["track"], version)

