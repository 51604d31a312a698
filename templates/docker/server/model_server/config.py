"""Configuration, all from the environment (the variables are documented in serve.py)."""
import math
import os
import socket

FAULTS = ("none", "crash", "never-ready", "oom", "slow", "error", "error-outliers", "wrong", "exit-after-ready", "crash-on-job")
MODES = ("server", "worker")
CRASH_EXIT_CODE = 3
CONFIG_EXIT_CODE = 2
LOAD_FAILED_EXIT_CODE = 1
MODEL_EXTENSIONS = {".joblib": "sklearn", ".pkl": "sklearn", ".pickle": "sklearn", ".onnx": "onnx"}
FRAMEWORKS = ("sklearn", "onnx")
# MODEL_DIR's default is ./model beside serve.py, which is this package's parent folder (/app in the images).
SERVER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
    model_dir = os.environ.get("MODEL_DIR", "").strip() or os.path.join(SERVER_DIR, "model")
    model_file = os.environ.get("MODEL_FILE", "").strip()
    if model_file and (os.sep in model_file or model_file in (".", "..")):
        raise ConfigError(f"MODEL_FILE={model_file!r} must be a file name in MODEL_DIR, not a path")
    framework = os.environ.get("MODEL_FRAMEWORK", "").strip().lower()
    if framework and framework not in FRAMEWORKS:
        raise ConfigError(f"MODEL_FRAMEWORK={framework!r} is not one of {', '.join(FRAMEWORKS)}")
    mode = (os.environ.get("MODEL_MODE", "").strip() or "server").lower()
    if mode not in MODES:
        raise ConfigError(f"MODEL_MODE={mode!r} is not one of {', '.join(MODES)}")
    queue = os.environ.get("MODEL_QUEUE", "").strip() or f"model-canary:{name}:jobs"
    if any(c.isspace() for c in queue):
        raise ConfigError(f"MODEL_QUEUE={queue!r} may not hold spaces")
    raw_weight = os.environ.get("MODEL_CANARY_WEIGHT", "").strip()
    canary_weight = env_number("MODEL_CANARY_WEIGHT", None) if raw_weight else None
    if canary_weight is not None and canary_weight > 100:
        raise ConfigError(f"MODEL_CANARY_WEIGHT={raw_weight!r} is above 100 (a percent)")
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if mode == "worker" and not redis_url:
        raise ConfigError("MODEL_MODE=worker needs REDIS_URL (the job queue), for example redis://redis:6379/0")
    return {
        "mode": mode,
        "redis_url": redis_url,
        "redis_password": os.environ.get("REDIS_PASSWORD", "") or None,
        "queue": queue,
        "canary_weight": canary_weight,
        "result_ttl": env_number("MODEL_RESULT_TTL_SECONDS", 3600, int, 1),
        "max_attempts": env_number("MODEL_JOB_MAX_ATTEMPTS", 3, int, 1),
        "worker_name": os.environ.get("HOSTNAME", "").strip() or socket.gethostname(),
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
