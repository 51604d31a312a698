"""What one batch job comes to on a worker: its rows parsed and predicted with the model (ModelState), done with the
predictions, or failed with a reason a submitter can act on. Never raises: a bad job must not stop the worker."""
import json

import numpy

from .faults import InjectedError
from .jobs import as_inputs
from .logs import log
from .parsing import BadRequest, rows_from_instances


def job_outcome(state, record):
    """{"status": "done", "result": JSON} or {"status": "failed", "error": why}, for the job's record (a dict)."""
    try:
        inputs = json.loads(record.get("inputs", ""))
    except ValueError as exc:  # json's JSONDecodeError is one
        return {"status": "failed", "error": f"the job's inputs are not JSON: {exc}"}
    try:
        rows, dtype = rows_from_instances({"instances": inputs}, state.config["max_batch"], state.n_features)
        predictions = state.predict(numpy.asarray(rows, dtype=dtype), ["predict"])["predict"]
    except BadRequest as exc:
        return {"status": "failed", "error": as_inputs(str(exc))}
    except InjectedError as exc:
        return {"status": "failed", "error": str(exc)}
    except Exception as exc:  # a model that fails on these rows: the job fails, the worker goes on
        log.error("the model failed on a job", exc_info=True)
        return {"status": "failed", "error": f"the model failed: {type(exc).__name__}: {exc}"}
    return {"status": "done", "result": json.dumps({"predictions": predictions}, default=float)}
