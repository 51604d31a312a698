"""The faults MODEL_FAULT injects, for tests only: how a canary with a bad model behaves (see serve.py)."""
import logging
import os
import time

from .config import CRASH_EXIT_CODE
from .logs import event


class InjectedError(Exception):
    pass


def before_prediction(config, rows):
    """The faults that act before the model runs: slow waits, error and error-outliers raise InjectedError."""
    fault = config["fault"]
    if fault == "crash-on-job":
        event(logging.CRITICAL, f"fault crash-on-job: exiting with status {CRASH_EXIT_CODE} on the first prediction", event="fault", fault=fault)
        logging.shutdown()
        os._exit(CRASH_EXIT_CODE)
    if fault == "slow":
        time.sleep(config["fault_delay_ms"] / 1000.0)
    if fault == "error":
        raise InjectedError("fault error: this server fails every prediction")
    if fault == "error-outliers" and any(v > config["fault_outlier"] for row in rows for v in row):
        raise InjectedError(f"fault error-outliers: this server fails inputs above {config['fault_outlier']}")


def other_class(names, name):
    """The wrong fault's answer for a classifier: the next class name, or one no class has."""
    names = names or []
    if len(names) > 1 and name in names:
        return names[(names.index(name) + 1) % len(names)]
    return f"not-{name}"


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
