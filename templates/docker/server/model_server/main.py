"""Starts the server: logging, configuration, the crash fault, then the model loader and uvicorn (or, with
MODEL_MODE=worker, the batch worker)."""
import logging
import os
import threading

from .config import CONFIG_EXIT_CODE, CRASH_EXIT_CODE, ConfigError, read_config
from .logs import event, setup_logging


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

    if config["mode"] == "worker":  # batch jobs from the queue instead of HTTP predictions
        from .worker import run_worker

        return run_worker(config)

    # The web stack and numpy are imported only now: a bad configuration or the crash fault exits before them.
    import uvicorn

    from .app import serving_app
    from .drain import make_server
    from .metrics import load_metrics
    from .state import ModelState

    state = ModelState(config)
    state.metrics = load_metrics(config, lambda: state.version)
    server = make_server(uvicorn, serving_app(state), state)
    event(logging.INFO, "starting; loading the model in the background", event="starting", port=config["port"], model=config["model_name"],
          model_dir=config["model_dir"], fault=config["fault"], track=config["track"], metrics=state.metrics.available, uid=os.getuid())
    threading.Thread(target=state.load, name="model-loader", daemon=True).start()
    server.run()
    event(logging.INFO, "stopped", event="stopped")
    return 0
