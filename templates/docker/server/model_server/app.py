"""The HTTP application: FastAPI with the plain probes, /metrics, /model-card, KServe V1 and V2, batch jobs, and the middleware
the server runs it in."""
from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from .jobs import add_job_routes
from .middleware import AccessLog, CloseWhileDraining, RequestMetrics
from .replies import error, not_ready
from .v1 import add_v1_routes
from .v2 import add_v2_routes


def build_app(state):
    app = FastAPI(title=f"{state.config['model_name']} model server", docs_url=None, redoc_url=None, openapi_url=None)

    @app.exception_handler(HTTPException)
    async def http_error(_request, exc):
        return error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def internal_error(_request, _exc):
        return error(500, "internal error")  # uvicorn logs the traceback

    @app.get("/healthz")
    async def healthz():
        return {"live": True}

    @app.get("/readyz")
    async def readyz():
        return {"ready": True} if state.ready else JSONResponse({"ready": False}, status_code=503)

    @app.get("/model-card")
    async def model_card():
        return state.card if state.loaded else not_ready(state)

    @app.get("/metrics")
    async def metrics():
        if not state.metrics.available:
            return PlainTextResponse(state.metrics.reason + "\n", status_code=503)
        body, content_type = state.metrics.exposition()
        return Response(body, media_type=content_type)

    add_v1_routes(app, state)
    add_v2_routes(app, state)
    add_job_routes(app, state)
    return app


def serving_app(state):
    """The ASGI application uvicorn runs: build_app inside the access log, the request metrics and the draining
    Connection: close."""
    return AccessLog(RequestMetrics(CloseWhileDraining(build_app(state), state), state.metrics))
