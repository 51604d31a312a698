"""model-canary's model server: FastAPI on uvicorn, speaking KServe V1 and the Open Inference Protocol (V2).

One server for every template: it serves a scikit-learn estimator saved with joblib (.joblib, .pkl) or an ONNX
model (.onnx, run with onnxruntime). Class names come from the model card (model-card.json beside the model,
"class_names") when it has them, else from the model itself (scikit-learn's classes_, ONNX's labels); the number
of features comes from the model (n_features_in_, or the ONNX input's shape). Regressors answer numbers.

Configuration, all from the environment:
  PORT                  port to listen on (default 8080)
  MODEL_NAME            name in the URLs (default model)
  MODEL_DIR             directory holding the model and model-card.json (default: ./model beside this file)
  MODEL_FILE            the model's file name in MODEL_DIR (default: the one .joblib, .pkl or .onnx file there)
  MODEL_FRAMEWORK       sklearn or onnx (default: from MODEL_FILE's extension)
  MODEL_VERSION         the version V2 reports when the card has no "variant" (default 1)
  LOG_LEVEL             debug, info, warning or error (default info); one JSON line per log record on stdout
  MAX_BATCH             most rows in one request (default 1024)
  DRAIN_DELAY_SECONDS   after SIGTERM: seconds readiness is false while new requests are still served (default 2)
  DRAIN_TIMEOUT_SECONDS after that: seconds in-flight requests get to finish before the process exits (default 20)
  MODEL_TRACK           the pod's track label (stable or canary), through the downward API; labels every metric
                        (default unknown)
  MODEL_METRICS         off: no metrics at all (/metrics answers 503); for measuring what they cost (npm run
                        bench:metrics)
  MODEL_FAULT           for tests only: none (default), or a fault to inject, to see what a canary does with a bad model:
                          crash        exit with status 3 at once, before serving anything
                          never-ready  live, loads the model, but never reports ready
                          oom          at load, allocate memory until the container's memory limit kills it
                          slow         every prediction takes MODEL_FAULT_DELAY_MS longer (default 1000)
                          error        every prediction answers 500
                          error-outliers  a prediction with an input above MODEL_FAULT_OUTLIER (default 100) answers
                                       500: a model that passes the smoke cases and fails on inputs users send
                          wrong        every prediction answers another class than the model's
                          exit-after-ready  serve normally, then exit with status 3 MODEL_FAULT_AFTER_SECONDS (default 25)
                                       after it became ready: a model that passes its checks, then dies
  MODEL_FAULT_TRACK     for tests only: inject MODEL_FAULT only when MODEL_TRACK (the pod's track label, through the
                        downward API) is this, for example stable: a model that is fine as a canary and fails once promoted
GET /metrics answers the server's metrics in the Prometheus text format (with prometheus_client; without it, 503 and
why): requests by route and status, their latency, requests in flight, the model's load time and, for a classifier,
predictions by class, each labelled model, version and track. Probes and scrapes are not counted as requests.
The model is loaded in the background: the server is live at once (/healthz) and ready (/readyz) only once the
model is loaded and has answered a warm-up prediction. Predictions of a classifier are class names (strings):
KServe V1 "predictions", and V2 output "predict" with datatype BYTES.
"""
import json
import logging
import math
import os
import signal
import sys
import threading
import time
from datetime import datetime, timezone

FAULTS = ("none", "crash", "never-ready", "oom", "slow", "error", "error-outliers", "wrong", "exit-after-ready")
CRASH_EXIT_CODE = 3
CONFIG_EXIT_CODE = 2
LOAD_FAILED_EXIT_CODE = 1
MODEL_EXTENSIONS = {".joblib": "sklearn", ".pkl": "sklearn", ".pickle": "sklearn", ".onnx": "onnx"}
FRAMEWORKS = ("sklearn", "onnx")
V2_DATATYPES = {"FP32": "float32", "FP64": "float64"}

log = logging.getLogger("serve")


# ---------------------------------------------------------------- logging: one JSON object per line, on stdout


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line; fields passed with extra={"fields": {...}} become top-level keys."""

    def format(self, record):
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def setup_logging(level_name):
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = logging.getLevelName(level_name.upper()) if level_name else logging.INFO
    bad_level = not isinstance(level, int)
    root.setLevel(logging.INFO if bad_level else level)
    logging.captureWarnings(True)
    sys.excepthook = lambda t, v, tb: log.critical("uncaught exception", exc_info=(t, v, tb))
    threading.excepthook = lambda a: log.critical("uncaught exception in thread %s", a.thread.name if a.thread else "?", exc_info=(a.exc_type, a.exc_value, a.exc_traceback))
    return bad_level


def event(level, msg, **fields):
    log.log(level, msg, extra={"fields": fields})


# ---------------------------------------------------------------- configuration


class ConfigError(Exception):
    pass


def env_number(name, default, kind=float, minimum=0):
    raw = os.environ.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} is below {minimum}")
    return value


def read_config():
    name = os.environ.get("MODEL_NAME", "").strip() or "model"
    if not all(c.isalnum() or c in "._-" for c in name):
        raise ConfigError(f"MODEL_NAME={name!r} may hold only letters, digits, '.', '_' and '-'")
    fault = (os.environ.get("MODEL_FAULT", "").strip() or "none").lower()
    if fault not in FAULTS:
        raise ConfigError(f"MODEL_FAULT={fault!r} is not one of {', '.join(FAULTS)}")
    only_track = os.environ.get("MODEL_FAULT_TRACK", "").strip()
    if only_track and only_track != os.environ.get("MODEL_TRACK", "").strip():
        fault = "none"
    port = env_number("PORT", 8080, int, 1)
    if port > 65535:
        raise ConfigError(f"PORT={port} is above 65535")
    model_dir = os.environ.get("MODEL_DIR", "").strip() or os.path.join(os.path.dirname(os.path.abspath(__file__)), "model")
    model_file = os.environ.get("MODEL_FILE", "").strip()
    if model_file and (os.sep in model_file or model_file in (".", "..")):
        raise ConfigError(f"MODEL_FILE={model_file!r} must be a file name in MODEL_DIR, not a path")
    framework = os.environ.get("MODEL_FRAMEWORK", "").strip().lower()
    if framework and framework not in FRAMEWORKS:
        raise ConfigError(f"MODEL_FRAMEWORK={framework!r} is not one of {', '.join(FRAMEWORKS)}")
    return {
        "port": port,
        "model_name": name,
        "model_dir": model_dir,
        "model_file": model_file,
        "framework": framework,
        "model_version": os.environ.get("MODEL_VERSION", "").strip() or "1",
        "max_batch": env_number("MAX_BATCH", 1024, int, 1),
        "drain_delay": env_number("DRAIN_DELAY_SECONDS", 2.0),
        "drain_timeout": env_number("DRAIN_TIMEOUT_SECONDS", 20.0),
        "fault": fault,
        "fault_delay_ms": env_number("MODEL_FAULT_DELAY_MS", 1000.0),
        "fault_outlier": env_number("MODEL_FAULT_OUTLIER", 100.0, float, -math.inf),
        "fault_after_seconds": env_number("MODEL_FAULT_AFTER_SECONDS", 25.0),
        "track": os.environ.get("MODEL_TRACK", "").strip() or "unknown",
    }


# ---------------------------------------------------------------- metrics: the Prometheus text format at /metrics

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


class RequestMetrics:
    """ASGI middleware: counts each model request by route and status, times it, and keeps the in-flight gauge.
    The route is the path template FastAPI matched (/v1/models/{model}:predict), or "unmatched", so a client
    cannot grow the series with made-up paths."""

    def __init__(self, app, metrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.metrics.available or not is_model_request(scope):
            return await self.app(scope, receive, send)
        labels = self.metrics.labels()  # the labels it started with: the version may change as the model loads
        start = time.perf_counter()
        status = 500

        async def send_and_note(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.request_started(labels)
        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.request_ended(labels, route, status, time.perf_counter() - start)


# ---------------------------------------------------------------- the model: scikit-learn (joblib) or ONNX


def find_model_file(model_dir, model_file):
    if model_file:
        return os.path.join(model_dir, model_file)
    found = sorted(f for f in os.listdir(model_dir) if os.path.splitext(f)[1].lower() in MODEL_EXTENSIONS)
    if len(found) != 1:
        raise ValueError(f"{model_dir} holds {len(found)} model files ({', '.join(found) or 'none'}); set MODEL_FILE to one")
    return os.path.join(model_dir, found[0])


def plain(value):
    """A numpy scalar (or bytes) as a plain Python value for JSON."""
    if hasattr(value, "item"):
        value = value.item()
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class SklearnModel:
    """A scikit-learn estimator (or pipeline) saved with joblib."""

    framework = "sklearn"
    input_dtype = None  # numpy's float64 unless the request says FP32

    def __init__(self, path):
        import joblib  # heavy (numpy, scipy, scikit-learn): imported here, not before the server is live
        import sklearn

        self.model = joblib.load(path)
        if not hasattr(self.model, "predict"):
            raise ValueError(f"{os.path.basename(path)} holds a {type(self.model).__name__}, which has no predict()")
        self.framework_version = sklearn.__version__
        n = getattr(self.model, "n_features_in_", None)
        self.n_features = int(n) if n is not None else None
        classes = getattr(self.model, "classes_", None)
        self.classes = [plain(c) for c in classes] if classes is not None else None
        self.has_proba = self.classes is not None and hasattr(self.model, "predict_proba")

    def run(self, rows, want_proba):
        labels = [plain(v) for v in self.model.predict(rows)]
        proba = [[float(p) for p in row] for row in self.model.predict_proba(rows)] if want_proba and self.has_proba else None
        return labels, proba


class OnnxModel:
    """An ONNX model run with onnxruntime: the first input takes the rows; the first output is the label (or the
    value, for a regressor), the second, when there is one, the probabilities (a tensor, or skl2onnx's ZipMap)."""

    framework = "onnx"
    DTYPES = {"tensor(float)": "float32", "tensor(double)": "float64"}

    def __init__(self, path):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(os.environ.get("OMP_NUM_THREADS", "1") or 1)
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        self.framework_version = onnxruntime.__version__
        inputs = self.session.get_inputs()
        if len(inputs) != 1:
            raise ValueError(f"the ONNX model has {len(inputs)} inputs; this server feeds one 2-D input")
        self.input = inputs[0]
        if self.input.type not in self.DTYPES:
            raise ValueError(f"the ONNX input {self.input.name!r} is {self.input.type}; this server feeds float or double")
        self.input_dtype = self.DTYPES[self.input.type]
        shape = self.input.shape
        self.n_features = shape[1] if len(shape) == 2 and isinstance(shape[1], int) else None
        self.outputs = [o.name for o in self.session.get_outputs()]
        first = self.session.get_outputs()[0]
        # A classifier's label is int64 or string; a float first output is a regressor's value.
        self.classes = [] if first.type in ("tensor(int64)", "tensor(string)", "tensor(int32)") else None
        self.has_proba = self.classes is not None and len(self.outputs) > 1

    def run(self, rows, want_proba):
        wanted = self.outputs[:2] if want_proba and self.has_proba else self.outputs[:1]
        result = self.session.run(wanted, {self.input.name: rows.astype(self.input_dtype, copy=False)})
        labels = [plain(v) for v in result[0].reshape(-1)] if self.classes is not None else [float(v) for v in result[0].reshape(len(rows), -1)[:, 0]]
        proba = None
        if len(result) > 1:
            raw = result[1]
            if isinstance(raw, list):  # ZipMap: a list of {class: probability}
                proba = [[float(d[k]) for k in sorted(d)] for d in raw]
            else:
                proba = [[float(p) for p in row] for row in raw]
        return labels, proba


LOADERS = {"sklearn": SklearnModel, "onnx": OnnxModel}


class ModelState:
    def __init__(self, config, metrics=None):
        self.config = config
        self.metrics = metrics or NoMetrics()
        self.model = None
        self.card = {}
        self.class_names = None  # the names predictions answer with; None for a regressor
        self.loaded = False
        self.draining = False
        self.started = time.monotonic()

    @property
    def ready(self):
        return self.loaded and not self.draining

    @property
    def n_features(self):
        return self.model.n_features if self.model is not None else None

    @property
    def version(self):
        return str(self.card.get("variant") or self.config["model_version"])

    @property
    def is_classifier(self):
        return self.model is not None and self.model.classes is not None

    def load(self):
        """Runs in a background thread: loads the model and the card, warms up, then marks the server ready."""
        fault = self.config["fault"]
        if fault == "oom":
            allocate_until_killed()
            return
        model_dir = self.config["model_dir"]
        try:
            path = find_model_file(model_dir, self.config["model_file"])
            framework = self.config["framework"] or MODEL_EXTENSIONS.get(os.path.splitext(path)[1].lower())
            if framework not in LOADERS:
                raise ValueError(f"cannot tell the framework of {os.path.basename(path)}; set MODEL_FRAMEWORK to sklearn or onnx")
            card_path = os.path.join(model_dir, "model-card.json")
            card = {}
            if os.path.exists(card_path):
                with open(card_path, encoding="utf-8") as f:
                    card = json.load(f)
                if not isinstance(card, dict):
                    raise ValueError("model-card.json is not a JSON object")
            model = LOADERS[framework](path)
            class_names = self.names_for(model, card)
            n = model.n_features or len(card.get("feature_names") or []) or None
            if model.n_features is None and n is not None:
                model.n_features = n
            if n is not None:
                import numpy

                model.run(numpy.zeros((1, n), dtype=model.input_dtype or "float64"), True)  # warm up; fail here, not on a request
        except Exception:
            log.critical("could not load the model from %s", model_dir, exc_info=True)
            logging.shutdown()
            os._exit(LOAD_FAILED_EXIT_CODE)
        self.model, self.card, self.class_names = model, card, class_names
        seconds = round(time.monotonic() - self.started, 3)
        self.metrics.model_loaded(seconds, class_names)
        if fault == "never-ready":
            event(logging.WARNING, "fault never-ready: model loaded, but it will never report ready", event="fault", fault=fault, load_seconds=seconds)
            return
        self.loaded = True
        if fault == "exit-after-ready":
            threading.Timer(self.config["fault_after_seconds"], exit_after_ready, [self.config["fault_after_seconds"]]).start()
        event(logging.INFO, "model loaded; ready", event="model-loaded", model=self.config["model_name"], file=os.path.basename(path),
              variant=card.get("variant"), version=self.version, framework=model.framework, framework_version=model.framework_version,
              features=model.n_features, classes=class_names, load_seconds=seconds)

    @staticmethod
    def names_for(model, card):
        """The class names predictions answer with: the card's, in the order of the model's classes; else the model's."""
        if model.classes is None:
            return None
        names = card.get("class_names")
        if names is not None:
            names = [str(c) for c in names]
            if model.classes and len(model.classes) != len(names):
                raise ValueError(f"the model has {len(model.classes)} classes, the card names {len(names)}")
            return names
        return [str(c) for c in model.classes]

    def label_name(self, label):
        names, classes = self.class_names, self.model.classes
        if classes:  # the model knows its classes: the name at the label's index
            return names[classes.index(label)] if label in classes else str(label)
        if names and isinstance(label, int) and 0 <= label < len(names):  # ONNX labels 0..k-1, names from the card
            return names[label]
        return str(label)

    def predict(self, rows, outputs):
        """rows: a float array of shape (N, features). Returns {output name: list}: class names (or values) for predict."""
        fault = self.config["fault"]
        if fault == "slow":
            time.sleep(self.config["fault_delay_ms"] / 1000.0)
        if fault == "error":
            raise InjectedError("fault error: this server fails every prediction")
        if fault == "error-outliers" and any(v > self.config["fault_outlier"] for row in rows for v in row):
            raise InjectedError(f"fault error-outliers: this server fails inputs above {self.config['fault_outlier']}")
        want_proba = "predict_proba" in outputs
        labels, proba = self.model.run(rows, want_proba)
        result = {}
        if self.is_classifier:
            predictions = [self.label_name(v) for v in labels]
            if fault == "wrong":
                predictions = [self.other_class(p) for p in predictions]
            self.metrics.predicted(predictions)  # the classes answered, whether or not the request asked for them
        else:
            predictions = [v + 1.0 if fault == "wrong" else v for v in labels]
        if "predict" in outputs:
            result["predict"] = predictions
        if want_proba:
            if proba is None:
                raise BadRequest("this model has no predict_proba output")
            result["predict_proba"] = proba
        return result

    def other_class(self, name):
        names = self.class_names or []
        if len(names) > 1 and name in names:
            return names[(names.index(name) + 1) % len(names)]
        return f"not-{name}"


class InjectedError(Exception):
    pass


def exit_after_ready(seconds):
    """The exit-after-ready fault: a server that served well for a while, then dies."""
    event(logging.CRITICAL, f"fault exit-after-ready: exiting with status {CRASH_EXIT_CODE}, {seconds}s after ready", event="fault", fault="exit-after-ready")
    logging.shutdown()
    os._exit(CRASH_EXIT_CODE)


def allocate_until_killed():
    """The oom fault: keep allocating (and touching) memory until the kernel's OOM killer ends the container."""
    chunk_mib = 8
    held = []
    event(logging.WARNING, "fault oom: allocating memory until the container is killed", event="fault", fault="oom")
    while True:
        held.append(b"\x01" * (chunk_mib << 20))  # a filled buffer: its pages are really used
        if len(held) % 4 == 0:
            event(logging.WARNING, "fault oom: still allocating", event="fault", fault="oom", allocated_mib=len(held) * chunk_mib)
        time.sleep(0.02)


# ---------------------------------------------------------------- request parsing


class BadRequest(Exception):
    pass


def as_number(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRequest(f"{where} is {json.dumps(value)[:40]}, not a number")
    if not math.isfinite(value):
        raise BadRequest(f"{where} is not a finite number")
    return value


def rows_from_instances(body, max_batch, n_features):
    """KServe V1: {"instances": [[n_features numbers], ...]} (n_features None: any width, the same for every row)."""
    want = f"{n_features} numbers" if n_features else "numbers"
    if not isinstance(body, dict) or "instances" not in body:
        raise BadRequest(f'the body must be a JSON object with "instances": a list of rows of {want}')
    instances = body["instances"]
    if not isinstance(instances, list) or len(instances) == 0:
        raise BadRequest(f'"instances" must be a non-empty list of rows of {want}')
    if len(instances) > max_batch:
        raise BadRequest(f'"instances" holds {len(instances)} rows; at most {max_batch} are allowed')
    if n_features is None and isinstance(instances[0], list) and instances[0]:
        n_features = len(instances[0])
    rows = []
    for i, row in enumerate(instances):
        if not isinstance(row, list) or len(row) != n_features:
            raise BadRequest(f"instances[{i}] must be a list of {n_features or 'some'} numbers")
        rows.append([as_number(v, f"instances[{i}][{j}]") for j, v in enumerate(row)])
    return rows, "float64"


def rows_from_v2(body, max_batch, n_features, outputs_known):
    """Open Inference Protocol: one input of shape [N, n_features], FP32 or FP64, data flat (row-major) or nested."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list) or len(body["inputs"]) != 1:
        raise BadRequest('the body must be a JSON object with "inputs": a list of exactly one input tensor')
    tensor = body["inputs"][0]
    if not isinstance(tensor, dict):
        raise BadRequest("inputs[0] must be an object with name, shape, datatype and data")
    for key in ("name", "shape", "datatype", "data"):
        if key not in tensor:
            raise BadRequest(f'inputs[0] has no "{key}"')
    if not isinstance(tensor["name"], str):
        raise BadRequest("inputs[0].name must be a string")
    datatype = tensor["datatype"]
    if datatype not in V2_DATATYPES:
        raise BadRequest(f"inputs[0].datatype {json.dumps(datatype)[:40]} is not supported; use FP32 or FP64")
    shape = tensor["shape"]
    if (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape)
        or shape[0] < 1
        or shape[1] < 1
        or (n_features is not None and shape[1] != n_features)
    ):
        raise BadRequest(f"inputs[0].shape must be [N, {n_features or 'features'}] with N >= 1, not {json.dumps(shape)[:40]}")
    n, width = shape
    if n > max_batch:
        raise BadRequest(f"inputs[0] holds {n} rows; at most {max_batch} are allowed")
    data = tensor["data"]
    if not isinstance(data, list):
        raise BadRequest("inputs[0].data must be a list")
    if data and all(isinstance(r, list) for r in data):  # nested: [[4 numbers], ...]
        if len(data) != n or any(len(r) != width for r in data):
            raise BadRequest(f"inputs[0].data is nested but does not match the shape {shape}")
        flat = [v for r in data for v in r]
    else:
        flat = data
        if len(flat) != n * width:
            raise BadRequest(f"inputs[0].data holds {len(flat)} values; the shape {shape} needs {n * width}")
    values = [as_number(v, f"inputs[0].data[{i}]") for i, v in enumerate(flat)]
    rows = [values[i : i + width] for i in range(0, len(values), width)]

    requested = body.get("outputs")
    if requested is None:
        outputs = ["predict"]
    else:
        if not isinstance(requested, list) or not requested or not all(isinstance(o, dict) and isinstance(o.get("name"), str) for o in requested):
            raise BadRequest('"outputs" must be a non-empty list of objects with a "name"')
        outputs = [o["name"] for o in requested]
        unknown = [o for o in outputs if o not in outputs_known]
        if unknown:
            raise BadRequest(f"unknown output {unknown[0]!r}; this model has {', '.join(outputs_known)}")
    return rows, V2_DATATYPES[datatype], outputs


# ---------------------------------------------------------------- the HTTP application


def build_app(state):
    import numpy
    from fastapi import FastAPI, Request
    from fastapi.responses import JSONResponse, PlainTextResponse, Response
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException

    config = state.config
    name = config["model_name"]
    app = FastAPI(title=f"{name} model server", docs_url=None, redoc_url=None, openapi_url=None)

    def error(status, message):
        return JSONResponse({"error": message}, status_code=status)

    @app.exception_handler(HTTPException)
    async def http_error(_request, exc):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal_error(_request, _exc):
        return error(500, "internal error")  # uvicorn logs the traceback

    def unknown_model(model):
        return None if model == name else error(404, f"model {model!r} not found; this server has {name!r}")

    def not_ready():
        return error(503, f"model {name!r} is {'shutting down' if state.draining else 'not ready'}")

    async def read_json(request):
        body = await request.body()
        if len(body) > 1 << 20:
            raise BadRequest("the body is larger than 1 MiB")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"the body is not valid JSON: {exc}") from None

    async def run_model(rows, dtype, outputs):
        matrix = numpy.asarray(rows, dtype=dtype)
        return await run_in_threadpool(state.predict, matrix, outputs)

    # -- plain probes
    @app.get("/healthz")
    async def healthz():
        return {"live": True}

    @app.get("/readyz")
    async def readyz():
        return {"ready": True} if state.ready else JSONResponse({"ready": False}, status_code=503)

    @app.get("/model-card")
    async def model_card():
        return state.card if state.loaded else not_ready()

    # -- Prometheus
    @app.get("/metrics")
    async def metrics():
        if not state.metrics.available:
            return PlainTextResponse(state.metrics.reason + "\n", status_code=503)
        body, content_type = state.metrics.exposition()
        return Response(body, media_type=content_type)

    # -- KServe V1
    @app.get("/v1/models")
    async def v1_models():
        return {"models": [name]}

    @app.get("/v1/models/{model}")
    async def v1_model(model: str):
        if (missing := unknown_model(model)) is not None:
            return missing
        return JSONResponse({"name": name, "ready": state.ready}, status_code=200 if state.ready else 503)

    @app.post("/v1/models/{model}:predict")
    async def v1_predict(model: str, request: Request):
        if (missing := unknown_model(model)) is not None:
            return missing
        if not state.loaded:
            return not_ready()
        try:
            rows, dtype = rows_from_instances(await read_json(request), config["max_batch"], state.n_features)
            result = await run_model(rows, dtype, ["predict"])
        except BadRequest as exc:
            return error(400, str(exc))
        except InjectedError as exc:
            return error(500, str(exc))
        return {"predictions": result["predict"]}

    # -- Open Inference Protocol (V2)
    @app.get("/v2")
    async def v2_server():
        return {"name": "model-canary-server", "version": "1", "extensions": []}

    @app.get("/v2/health/live")
    async def v2_live():
        return {"live": True}

    @app.get("/v2/health/ready")
    async def v2_ready():
        return JSONResponse({"ready": state.ready}, status_code=200 if state.ready else 503)

    def version_mismatch(version):
        if version is None or version == state.version:
            return None
        return error(404, f"model {name!r} has no version {version!r}; it serves {state.version!r}")

    def output_names():
        return ["predict", "predict_proba"] if state.model.has_proba else ["predict"]

    async def v2_model_ready(model: str, version: str = None):
        if (missing := unknown_model(model) or version_mismatch(version)) is not None:
            return missing
        return JSONResponse({"name": name, "ready": state.ready}, status_code=200 if state.ready else 503)

    async def v2_metadata(model: str, version: str = None):
        if (missing := unknown_model(model)) is not None:
            return missing
        if not state.loaded:
            return not_ready()
        if (missing := version_mismatch(version)) is not None:
            return missing
        card, m = state.card, state.model
        outputs = [{"name": "predict", "datatype": "BYTES" if state.is_classifier else "FP64", "shape": [-1]}]
        if m.has_proba:
            outputs.append({"name": "predict_proba", "datatype": "FP64", "shape": [-1, len(state.class_names) or -1]})
        return {
            "name": name,
            "versions": [state.version],
            "platform": f"{m.framework}_{m.framework_version}",
            "inputs": [{"name": "input-0", "datatype": "FP32", "shape": [-1, state.n_features or -1]}],
            "outputs": outputs,
            "parameters": {
                "feature_names": card.get("feature_names", []),
                "class_names": state.class_names,
                "variant": card.get("variant"),
                "accuracy": card.get("accuracy"),
            },
        }

    async def v2_infer(model: str, request: Request, version: str = None):
        if (missing := unknown_model(model)) is not None:
            return missing
        if not state.loaded:
            return not_ready()
        if (missing := version_mismatch(version)) is not None:
            return missing
        try:
            body = await read_json(request)
            rows, dtype, outputs = rows_from_v2(body, config["max_batch"], state.n_features, output_names())
            result = await run_model(rows, dtype, outputs)
        except BadRequest as exc:
            return error(400, str(exc))
        except InjectedError as exc:
            return error(500, str(exc))
        n = len(rows)
        tensors = []
        for out in outputs:
            if out == "predict":
                datatype = "BYTES" if state.is_classifier else "FP64"
                tensors.append({"name": "predict", "shape": [n], "datatype": datatype, "data": result["predict"]})
            else:
                width = len(result["predict_proba"][0]) if result["predict_proba"] else 0
                flat = [p for row in result["predict_proba"] for p in row]
                tensors.append({"name": "predict_proba", "shape": [n, width], "datatype": "FP64", "data": flat})
        response = {"model_name": name, "model_version": state.version, "outputs": tensors}
        if isinstance(body.get("id"), str):
            response["id"] = body["id"]
        return response

    for prefix in ("/v2/models/{model}", "/v2/models/{model}/versions/{version}"):
        app.add_api_route(f"{prefix}/ready", v2_model_ready, methods=["GET"])
        app.add_api_route(prefix, v2_metadata, methods=["GET"])
        app.add_api_route(f"{prefix}/infer", v2_infer, methods=["POST"])

    return app


class AccessLog:
    """ASGI middleware: one JSON line per HTTP request with method, path, status and latency."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 500

        async def send_and_note(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            path = scope.get("path", "")
            fields = {
                "event": "request",
                "method": scope.get("method"),
                "path": path,
                "status": status,
                "latency_ms": round((time.perf_counter() - start) * 1000, 3),
            }
            if scope.get("query_string"):
                fields["query"] = scope["query_string"].decode("latin-1")
            log.info("request", extra={"fields": fields})


class CloseWhileDraining:
    """ASGI middleware: once the server drains, every response says Connection: close. A keep-alive client (a
    proxy, a load balancer, a prober) then drops its pooled connection to this pod after that response, instead of
    sending its next request on a connection the server is about to close, which the client would see as a reset."""

    def __init__(self, app, state):
        self.app = app
        self.state = state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_closing(message):
            if message["type"] == "http.response.start" and self.state.draining:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": headers + [(b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, send_closing)


# ---------------------------------------------------------------- graceful shutdown


def make_server(uvicorn, app, state):
    config = state.config

    class DrainingServer(uvicorn.Server):
        """On SIGTERM/SIGINT: readiness goes false at once, requests are still served for DRAIN_DELAY_SECONDS (so
        the endpoints controller takes the pod out of the Service), then uvicorn stops accepting and waits for
        in-flight requests, at most DRAIN_TIMEOUT_SECONDS. A second signal stops at once."""

        def handle_exit(self, sig, frame):
            if state.draining:
                self.exit_now("second signal: exiting at once")
            state.draining = True
            event(logging.INFO, "signal received: readiness is false; draining", event="draining", signal=signal.Signals(sig).name,
                  delay_seconds=config["drain_delay"], timeout_seconds=config["drain_timeout"])

            def stop_accepting():
                super(DrainingServer, self).handle_exit(sig, frame)  # uvicorn's graceful shutdown
                timer(config["drain_timeout"], lambda: self.exit_now("drain timed out; exiting with requests unfinished"))

            timer(config["drain_delay"], stop_accepting)

        def exit_now(self, message):
            # Drops what is left: a worker thread may be mid-prediction, and the interpreter would wait for it.
            event(logging.WARNING, message, event="exit-now", connections=len(self.server_state.connections))
            logging.shutdown()
            os._exit(0)

    def timer(seconds, fn):
        t = threading.Timer(seconds, fn)
        t.daemon = True
        t.start()

    uv_config = uvicorn.Config(
        AccessLog(RequestMetrics(CloseWhileDraining(app, state), state.metrics)),
        host="0.0.0.0",
        port=config["port"],
        log_config=None,  # our JSON handler on the root logger prints uvicorn's records too
        access_log=False,  # AccessLog writes the request lines
        server_header=False,
        lifespan="on",
        timeout_keep_alive=5,
    )
    return DrainingServer(uv_config)


def main():
    bad_level = setup_logging(os.environ.get("LOG_LEVEL", "info"))
    if bad_level:
        event(logging.WARNING, f"LOG_LEVEL={os.environ.get('LOG_LEVEL')!r} is not a level; using info")
    try:
        config = read_config()
    except ConfigError as exc:
        event(logging.CRITICAL, f"bad configuration: {exc}", event="config-error")
        return CONFIG_EXIT_CODE
    if config["fault"] == "crash":
        event(logging.CRITICAL, f"fault crash: exiting with status {CRASH_EXIT_CODE}", event="fault", fault="crash")
        return CRASH_EXIT_CODE

    import uvicorn

    state = ModelState(config)
    state.metrics = load_metrics(config, lambda: state.version)
    app = build_app(state)
    server = make_server(uvicorn, app, state)
    event(logging.INFO, "starting; loading the model in the background", event="starting", port=config["port"], model=config["model_name"],
          model_dir=config["model_dir"], fault=config["fault"], track=config["track"], metrics=state.metrics.available, uid=os.getuid())
    threading.Thread(target=state.load, name="model-loader", daemon=True).start()
    server.run()
    event(logging.INFO, "stopped", event="stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
