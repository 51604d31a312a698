"""Request parsing: the rows of a KServe V1 or an Open Inference Protocol (V2) request, or BadRequest and why."""
import json
import math

V2_DATATYPES = {"FP32": "float32", "FP64": "float64"}


class BadRequest(Exception):
    pass


def as_number(value, where):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRequest(f"{where} is {json.dumps(value)[:40]}, not a number")
    if not math.isfinite(value):
        raise BadRequest(f"{where} is not a finite number")
    return value


def rows_from_instances(body, max_batch, n_features):
    """KServe V1: {"instances": [[n_features numbers], ...]} (n_features None: any width, the same for every row)."""
    want = f"{n_features} numbers" if n_features else "numbers"
    if not isinstance(body, dict) or "instances" not in body:
        raise BadRequest(f'the body must be a JSON object with "instances": a list of rows of {want}')
    instances = body["instances"]
    if not isinstance(instances, list) or len(instances) == 0:
        raise BadRequest(f'"instances" must be a non-empty list of rows of {want}')
    if len(instances) > max_batch:
        raise BadRequest(f'"instances" holds {len(instances)} rows; at most {max_batch} are allowed')
    if n_features is None and isinstance(instances[0], list) and instances[0]:
        n_features = len(instances[0])
    rows = []
    for i, row in enumerate(instances):
        if not isinstance(row, list) or len(row) != n_features:
            raise BadRequest(f"instances[{i}] must be a list of {n_features or 'some'} numbers")
        rows.append([as_number(v, f"instances[{i}][{j}]") for j, v in enumerate(row)])
    return rows, "float64"


def rows_from_v2(body, max_batch, n_features, outputs_known):
    """Open Inference Protocol: one input of shape [N, n_features], FP32 or FP64, data flat (row-major) or nested."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list) or len(body["inputs"]) != 1:
        raise BadRequest('the body must be a JSON object with "inputs": a list of exactly one input tensor')
    tensor = body["inputs"][0]
    if not isinstance(tensor, dict):
        raise BadRequest("inputs[0] must be an object with name, shape, datatype and data")
    for key in ("name", "shape", "datatype", "data"):
        if key not in tensor:
            raise BadRequest(f'inputs[0] has no "{key}"')
    if not isinstance(tensor["name"], str):
        raise BadRequest("inputs[0].name must be a string")
    datatype = tensor["datatype"]
    if datatype not in V2_DATATYPES:
        raise BadRequest(f"inputs[0].datatype {json.dumps(datatype)[:40]} is not supported; use FP32 or FP64")
    shape = tensor["shape"]
    if (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape)
        or shape[0] < 1
        or shape[1] < 1
        or (n_features is not None and shape[1] != n_features)
    ):
        raise BadRequest(f"inputs[0].shape must be [N, {n_features or 'features'}] with N >= 1, not {json.dumps(shape)[:40]}")
    n, width = shape
    if n > max_batch:
        raise BadRequest(f"inputs[0] holds {n} rows; at most {max_batch} are allowed")
    data = tensor["data"]
    if not isinstance(data, list):
        raise BadRequest("inputs[0].data must be a list")
    if data and all(isinstance(r, list) for r in data):  # nested: [[4 numbers], ...]
        if len(data) != n or any(len(r) != width for r in data):
            raise BadRequest(f"inputs[0].data is nested but does not match the shape {shape}")
        flat = [v for r in data for v in r]
    else:
        flat = data
        if len(flat) != n * width:
            raise BadRequest(f"inputs[0].data holds {len(flat)} values; the shape {shape} needs {n * width}")
    values = [as_number(v, f"inputs[0].data[{i}]") for i, v in enumerate(flat)]
    rows = [values[i : i + width] for i in range(0, len(values), width)]

    requested = body.get("outputs")
    if requested is None:
        outputs = ["predict"]
    else:
        if not isinstance(requested, list) or not requested or not all(isinstance(o, dict) and isinstance(o.get("name"), str) for o in requested):
            raise BadRequest('"outputs" must be a non-empty list of objects with a "name"')
        outputs = [o["name"] for o in requested]
        unknown = [o for o in outputs if o not in outputs_known]
        if unknown:
            raise BadRequest(f"unknown output {unknown[0]!r}; this model has {', '.join(outputs_known)}")
    return rows, V2_DATATYPES[datatype], outputs

