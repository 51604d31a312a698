"""What the KServe V1 and V2 routes share: JSON errors, an unknown model, not ready, the body, running the model."""
import json

import numpy
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .parsing import BadRequest

MAX_BODY_BYTES = 1 << 20


def error(status, message):
    return JSONResponse({"error": message}, status_code=status)


def unknown_model(state, model):
    """None for the model this server has; else the 404 answer."""
    name = state.config["model_name"]
    return None if model == name else error(404, f"model {model!r} not found; this server has {name!r}")


def not_ready(state):
    return error(503, f"model {state.config['model_name']!r} is {'shutting down' if state.draining else 'not ready'}")


def readiness(state):
    """The model's readiness: {"name", "ready"}, 200 when ready, else 503."""
    return JSONResponse({"name": state.config["model_name"], "ready": state.ready}, status_code=200 if state.ready else 503)


async def read_json(request):
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("the body is larger than 1 MiB")
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from None


async def run_model(state, rows, dtype, outputs):
    matrix = numpy.asarray(rows, dtype=dtype)
    return await run_in_threadpool(state.predict, matrix, outputs)
