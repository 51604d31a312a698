"""Configuration from the environment: defaults, refusals, and the process's exit status 2 on a bad one."""
import os

import pytest

from conftest import SERVER_DIR, run_serve
from model_server.config import ConfigError, read_config


def test_defaults():
    config = read_config()
    assert config == {
        "port": 8080, "model_name": "model", "model_dir": os.path.join(SERVER_DIR, "model"), "model_file": "", "framework": "",
        "model_version": "1", "max_batch": 1024, "drain_delay": 2.0, "drain_timeout": 20.0, "fault": "none",
        "fault_delay_ms": 1000.0, "fault_outlier": 100.0, "fault_after_seconds": 25.0, "track": "unknown",
        "mode": "server", "redis_url": "", "redis_password": None, "queue": "model-canary:model:jobs", "canary_weight": None, "result_ttl": 3600,
        "max_attempts": 3, "worker_name": config["worker_name"],
    }


def test_values_are_read(monkeypatch):
    for name, value in {"PORT": "9000", "MODEL_FAULT": " Slow ", "MODEL_FAULT_OUTLIER": "-5", "DRAIN_DELAY_SECONDS": "0.5", "MODEL_TRACK": "canary",
                        "MODEL_CANARY_WEIGHT": "12.5"}.items():
        monkeypatch.setenv(name, value)
    config = read_config()
    assert (config["port"], config["fault"], config["fault_outlier"], config["drain_delay"], config["track"], config["canary_weight"]) == (9000, "slow", -5.0, 0.5, "canary", 12.5)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("MODEL_FAULT", "explode", "MODEL_FAULT='explode' is not one of none, crash, never-ready, oom, slow, error, error-outliers, wrong, exit-after-ready, crash-on-job"),
        ("MODEL_MODE", "batch", "MODEL_MODE='batch' is not one of server, worker"),
        ("MODEL_MODE", "worker", "MODEL_MODE=worker needs REDIS_URL (the job queue), for example redis://redis:6379/0"),
        ("MODEL_QUEUE", "a b", "MODEL_QUEUE='a b' may not hold spaces"),
        ("MODEL_CANARY_WEIGHT", "120", "MODEL_CANARY_WEIGHT='120' is above 100 (a percent)"),
        ("MODEL_CANARY_WEIGHT", "-1", "MODEL_CANARY_WEIGHT='-1' is below 0"),
        ("PORT", "http", "PORT='http' is not a number"),
        ("PORT", "0", "PORT='0' is below 1"),
        ("PORT", "65536", "PORT=65536 is above 65535"),
        ("PORT", "80.5", "PORT='80.5' is not a number"),
        ("MAX_BATCH", "0", "MAX_BATCH='0' is below 1"),
        ("DRAIN_DELAY_SECONDS", "-1", "DRAIN_DELAY_SECONDS='-1' is below 0"),
        ("MODEL_NAME", "my model", "MODEL_NAME='my model' may hold only letters, digits, '.', '_' and '-'"),
        ("MODEL_FILE", "../model.joblib", "MODEL_FILE='../model.joblib' must be a file name in MODEL_DIR, not a path"),
        ("MODEL_FRAMEWORK", "torch", "MODEL_FRAMEWORK='torch' is not one of sklearn, onnx"),
    ],
)
def test_refusals(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        read_config()
    assert str(caught.value) == message


@pytest.mark.parametrize("env, message", [({"MODEL_FAULT": "explode"}, "bad configuration: MODEL_FAULT='explode' is not one of"),
                                          ({"PORT": "http"}, "bad configuration: PORT='http' is not a number")])
def test_a_bad_configuration_exits_2_with_one_log_line(env, message):
    status, lines = run_serve(env)
    assert status == 2
    assert len(lines) == 1
    assert (lines[0]["level"], lines[0]["logger"], lines[0]["event"]) == ("critical", "serve", "config-error")
    assert lines[0]["msg"].startswith(message)


def test_a_bad_log_level_is_said_and_info_is_used():
    status, lines = run_serve({"LOG_LEVEL": "loud", "MODEL_FAULT": "crash"})
    assert status == 3
    assert lines[0]["msg"] == "LOG_LEVEL='loud' is not a level; using info"
    assert lines[0]["level"] == "warning"
