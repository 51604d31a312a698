"""ASGI middleware around the application: request metrics, the access log, and Connection: close while draining."""
import time

from .logs import log
from .metrics import is_model_request


class StatusNoted:
    """An ASGI send that notes the response's status on the way (500 until a response starts)."""

    def __init__(self, send):
        self.send = send
        self.status = 500

    async def __call__(self, message):
        if message["type"] == "http.response.start":
            self.status = message["status"]
        await self.send(message)


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
        noted = StatusNoted(send)
        self.metrics.request_started(labels)
        try:
            await self.app(scope, receive, noted)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.request_ended(labels, route, noted.status, time.perf_counter() - start)



class AccessLog:
    """ASGI middleware: one JSON line per HTTP request with method, path, status and latency."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        noted = StatusNoted(send)
        try:
            await self.app(scope, receive, noted)
        finally:
            path = scope.get("path", "")
            fields = {
                "event": "request",
                "method": scope.get("method"),
                "path": path,
                "status": noted.status,
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

