"""Fixtures for the model server's tests: tiny models trained here (no file is needed), an in-process client on the
server's ASGI application, and a real server process for what needs signals and exit codes."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest

from redis_fixtures import queue, redis_server, submit, worker  # noqa: F401 (fixtures of the batch jobs' tests)

SERVER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVE_PY = os.path.join(SERVER_DIR, "serve.py")
sys.path.insert(0, SERVER_DIR)

# Every variable the server reads: cleared for each test, so the environment running pytest cannot change answers.
SERVER_ENV = ("PORT", "MODEL_NAME", "MODEL_DIR", "MODEL_FILE", "MODEL_FRAMEWORK", "MODEL_VERSION", "LOG_LEVEL", "MAX_BATCH",
              "DRAIN_DELAY_SECONDS", "DRAIN_TIMEOUT_SECONDS", "MODEL_TRACK", "MODEL_METRICS", "MODEL_FAULT", "MODEL_FAULT_DELAY_MS",
              "MODEL_FAULT_OUTLIER", "MODEL_FAULT_AFTER_SECONDS", "MODEL_FAULT_TRACK",
              "MODEL_MODE", "REDIS_URL", "REDIS_PASSWORD", "MODEL_QUEUE", "MODEL_RESULT_TTL_SECONDS", "MODEL_JOB_MAX_ATTEMPTS", "HOSTNAME")

# Three classes told apart by the first feature alone: x0 < 1 is "a", 1 <= x0 < 2 is "b", x0 >= 2 is "c".
A_ROW, B_ROW, C_ROW = [0.5, 0.0, 0.0, 0.0], [1.5, 0.0, 0.0, 0.0], [2.5, 0.0, 0.0, 0.0]


def train_classifier():
    from sklearn.tree import DecisionTreeClassifier

    xs = [[x0 / 10, (i * 7 % 5) / 5, (i * 3 % 4) / 4, 0.1] for i, x0 in enumerate(range(0, 30))]
    ys = ["a" if x[0] < 1 else "b" if x[0] < 2 else "c" for x in xs]
    return DecisionTreeClassifier(random_state=0).fit(xs, ys)


def train_regressor():
    from sklearn.linear_model import LinearRegression

    xs = [[float(i), float(i % 3)] for i in range(10)]
    return LinearRegression().fit(xs, [2.0 * x[0] + 1.0 for x in xs])  # y = 2 x0 + 1


@pytest.fixture(scope="session")
def classifier_dir(tmp_path_factory):
    import joblib

    path = tmp_path_factory.mktemp("classifier")
    joblib.dump(train_classifier(), path / "model.joblib")
    card = {"variant": "v7", "feature_names": ["f0", "f1", "f2", "f3"], "accuracy": 0.99}
    (path / "model-card.json").write_text(json.dumps(card))
    return str(path)


@pytest.fixture(scope="session")
def regressor_dir(tmp_path_factory):
    import joblib

    path = tmp_path_factory.mktemp("regressor")
    joblib.dump(train_regressor(), path / "model.joblib")
    return str(path)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in SERVER_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_server(monkeypatch):
    """make_server(model_dir, load=True, **env): the server's ASGI application (with its middleware) in a TestClient,
    its configuration read from env as the process reads it; load=False leaves the model unloaded."""
    from fastapi.testclient import TestClient
    from model_server.app import serving_app
    from model_server.config import read_config
    from model_server.metrics import load_metrics
    from model_server.state import ModelState

    def make(model_dir, load=True, **env):
        monkeypatch.setenv("MODEL_DIR", model_dir)
        for name, value in env.items():
            monkeypatch.setenv(name, str(value))
        config = read_config()
        state = ModelState(config)
        state.metrics = load_metrics(config, lambda: state.version)
        client = TestClient(serving_app(state))
        if load:
            state.load()  # in this thread: the test goes on once the model is loaded (or not, for never-ready)
        return SimpleNamespace(client=client, state=state)

    return make


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """python3 serve.py on a free port, its stdout (JSON lines) collected."""

    def __init__(self, model_dir, **env):
        self.port = free_port()
        full_env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV}
        full_env.update({"PORT": str(self.port), "MODEL_DIR": model_dir, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"})
        full_env.update({k: str(v) for k, v in env.items()})
        self.proc = subprocess.Popen([sys.executable, SERVE_PY], env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path, timeout=5):
        """(status, headers, JSON body)."""
        return self.request(urllib.request.Request(self.url(path)), timeout)

    def post(self, path, body, timeout=10):
        data = json.dumps(body).encode()
        return self.request(urllib.request.Request(self.url(path), data=data, headers={"Content-Type": "application/json"}), timeout)

    @staticmethod
    def request(req, timeout):
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, dict(r.headers), json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), json.loads(e.read())

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited with {self.proc.returncode}: {self.proc.stdout.read()}")
            try:
                if self.get("/readyz", timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError("the server did not become ready")

    def wait_exit(self, timeout=20):
        """The exit status and the log lines, parsed."""
        output, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, [json.loads(line) for line in output.splitlines() if line.startswith("{")]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


@pytest.fixture
def server_process():
    """server_process(model_dir, **env): a started ServerProcess, killed after the test if still running."""
    started = []

    def start(model_dir, **env):
        started.append(ServerProcess(model_dir, **env))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def run_serve(env, timeout=30):
    """Runs serve.py to its end (for configurations and faults that exit): (exit status, log lines)."""
    full_env = {k: v for k, v in os.environ.items() if k not in SERVER_ENV}
    full_env.update({"PYTHONDONTWRITEBYTECODE": "1", **env})
    done = subprocess.run([sys.executable, SERVE_PY], env=full_env, capture_output=True, text=True, timeout=timeout)
    return done.returncode, [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
