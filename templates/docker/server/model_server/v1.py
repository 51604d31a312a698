"""KServe V1: /v1/models, /v1/models/NAME and /v1/models/NAME:predict ({"instances"} in, {"predictions"} out)."""
from fastapi import Request

from .faults import InjectedError
from .parsing import BadRequest, rows_from_instances
from .replies import error, not_ready, read_json, readiness, run_model, unknown_model


def add_v1_routes(app, state):
    name = state.config["model_name"]

    @app.get("/v1/models")
    async def v1_models():
        return {"models": [name]}

    @app.get("/v1/models/{model}")
    async def v1_model(model: str):
        if (missing := unknown_model(state, model)) is not None:
            return missing
        return readiness(state)

    @app.post("/v1/models/{model}:predict")
    async def v1_predict(model: str, request: Request):
        if (missing := unknown_model(state, model)) is not None:
            return missing
        if not state.loaded:
            return not_ready(state)
        try:
            rows, dtype = rows_from_instances(await read_json(request), state.config["max_batch"], state.n_features)
            result = await run_model(state, rows, dtype, ["predict"])
        except BadRequest as exc:
            return error(400, str(exc))
        except InjectedError as exc:
            return error(500, str(exc))
        return {"predictions": result["predict"]}
