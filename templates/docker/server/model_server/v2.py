"""The Open Inference Protocol (V2): server metadata and health, and per model (optionally per version) readiness,
metadata and infer. A classifier's "predict" output holds class names, with datatype BYTES."""
from fastapi import Request
from fastapi.responses import JSONResponse

from .faults import InjectedError
from .parsing import BadRequest, rows_from_v2
from .replies import error, not_ready, read_json, readiness, run_model, unknown_model


def add_v2_routes(app, state):
    name = state.config["model_name"]

    @app.get("/v2")
    async def v2_server():
        return {"name": "model-canary-server", "version": "1", "extensions": []}

    @app.get("/v2/health/live")
    async def v2_live():
        return {"live": True}

    @app.get("/v2/health/ready")
    async def v2_ready():
        return JSONResponse({"ready": state.ready}, status_code=200 if state.ready else 503)

    def version_mismatch(version):
        if version is None or version == state.version:
            return None
        return error(404, f"model {name!r} has no version {version!r}; it serves {state.version!r}")

    def loaded_model_refusal(model, version):
        """The answer for a model name, a loading model or a version this server does not serve; None when it does."""
        if (missing := unknown_model(state, model)) is not None:
            return missing
        if not state.loaded:
            return not_ready(state)
        return version_mismatch(version)

    def output_names():
        return ["predict", "predict_proba"] if state.model.has_proba else ["predict"]

    async def v2_model_ready(model: str, version: str = None):
        if (missing := unknown_model(state, model) or version_mismatch(version)) is not None:
            return missing
        return readiness(state)

    async def v2_metadata(model: str, version: str = None):
        if (refused := loaded_model_refusal(model, version)) is not None:
            return refused
        return metadata(state)

    async def v2_infer(model: str, request: Request, version: str = None):
        if (refused := loaded_model_refusal(model, version)) is not None:
            return refused
        try:
            body = await read_json(request)
            rows, dtype, outputs = rows_from_v2(body, state.config["max_batch"], state.n_features, output_names())
            result = await run_model(state, rows, dtype, outputs)
        except BadRequest as exc:
            return error(400, str(exc))
        except InjectedError as exc:
            return error(500, str(exc))
        response = {"model_name": name, "model_version": state.version, "outputs": output_tensors(state, outputs, result, len(rows))}
        if isinstance(body.get("id"), str):
            response["id"] = body["id"]
        return response

    for prefix in ("/v2/models/{model}", "/v2/models/{model}/versions/{version}"):
        app.add_api_route(f"{prefix}/ready", v2_model_ready, methods=["GET"])
        app.add_api_route(prefix, v2_metadata, methods=["GET"])
        app.add_api_route(f"{prefix}/infer", v2_infer, methods=["POST"])


def metadata(state):
    card, m = state.card, state.model
    outputs = [{"name": "predict", "datatype": "BYTES" if state.is_classifier else "FP64", "shape": [-1]}]
    if m.has_proba:
        outputs.append({"name": "predict_proba", "datatype": "FP64", "shape": [-1, len(state.class_names) or -1]})
    return {
        "name": state.config["model_name"],
        "versions": [state.version],
        "platform": f"{m.framework}_{m.framework_version}",
        "inputs": [{"name": "input-0", "datatype": "FP32", "shape": [-1, state.n_features or -1]}],
        "outputs": outputs,
        "parameters": {
            "feature_names": card.get("feature_names", []),
            "class_names": state.class_names,
            "variant": card.get("variant"),
            "accuracy": card.get("accuracy"),
        },
    }


def output_tensors(state, outputs, result, n):
    tensors = []
    for out in outputs:
        if out == "predict":
            datatype = "BYTES" if state.is_classifier else "FP64"
            tensors.append({"name": "predict", "shape": [n], "datatype": datatype, "data": result["predict"]})
        else:
            width = len(result["predict_proba"][0]) if result["predict_proba"] else 0
            flat = [p for row in result["predict_proba"] for p in row]
            tensors.append({"name": "predict_proba", "shape": [n, width], "datatype": "FP64", "data": flat})
    return tensors
