"""Graceful shutdown: uvicorn's server, draining on SIGTERM/SIGINT the way a Kubernetes pod must."""
import logging
import os
import signal
import threading

from .logs import event


def make_server(uvicorn, app, state):
    """A uvicorn server for app (the ASGI application) that drains state on the first signal."""
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
        app,
        host="0.0.0.0",
        port=config["port"],
        log_config=None,  # our JSON handler on the root logger prints uvicorn's records too
        access_log=False,  # AccessLog writes the request lines
        server_header=False,
        lifespan="on",
        timeout_keep_alive=5,
    )
    return DrainingServer(uv_config)
