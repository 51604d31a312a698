"""The worker's own small HTTP server (MODEL_MODE=worker), for the kubelet's probes and Prometheus' scrapes only:
GET /healthz, /readyz (the model loaded, the queue reachable, not draining) and /metrics, on PORT, in a thread."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve_probes(port, ready, metrics):
    """Starts the server in a daemon thread; ready() answers readiness; metrics is ServerMetrics or NoMetrics."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path == "/healthz":
                self.reply(200, {"live": True})
            elif self.path == "/readyz":
                is_ready = ready()
                self.reply(200 if is_ready else 503, {"ready": is_ready})
            elif self.path == "/metrics":
                if metrics.available:
                    body, content_type = metrics.exposition()
                    self.send(200, body, content_type)
                else:
                    self.send(503, (metrics.reason + "\n").encode(), "text/plain; charset=utf-8")
            else:
                self.reply(404, {"error": "a worker serves /healthz, /readyz and /metrics only; jobs go through the queue"})

        def reply(self, status, body):
            self.send(status, json.dumps(body).encode(), "application/json")

        def send(self, status, body, content_type):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):  # probes and scrapes are not logged, as in the server
            pass

    server = ThreadingHTTPServer(("0.0.0.0", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="probes", daemon=True).start()
    return server
