"""Batch jobs over HTTP: POST /v1/jobs puts rows on the queue (202 and an id), GET /v1/jobs/ID answers the job's
status and, once a worker (MODEL_MODE=worker) has run it, its predictions or why it failed. 503 without a queue."""
import json
import uuid

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .jobqueue import JobQueue, QueueError
from .parsing import BadRequest, rows_from_instances
from .replies import error, read_json

NO_QUEUE = "batch jobs are off: this server has no job queue (set REDIS_URL, and REDIS_PASSWORD, to a Redis)"
TRACK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


def as_inputs(instances_message):
    """parsing.py speaks of KServe V1's "instances"; a job's rows are its "inputs"."""
    return instances_message.replace('"instances"', '"inputs"').replace("instances[", "inputs[")


def job_from_body(body, max_batch):
    """(rows, track) from {"inputs": [[numbers], ...], "track": optional}; BadRequest and why. The rows' width is
    checked against the model by the worker: the job fails there if it is not the model's."""
    if not isinstance(body, dict) or "inputs" not in body:
        raise BadRequest('the body must be a JSON object with "inputs": a list of rows of numbers')
    track = body.get("track")
    if track is not None and (not isinstance(track, str) or not 0 < len(track) <= 63 or not set(track) <= TRACK_CHARS):
        raise BadRequest('"track" must be a name of at most 63 letters, digits, ".", "_" or "-"')
    try:
        rows, _ = rows_from_instances({"instances": body["inputs"]}, max_batch, None)
    except BadRequest as exc:
        raise BadRequest(as_inputs(str(exc))) from None
    return rows, track


def job_reply(job_id, record):
    reply = {"id": job_id, "status": record.get("status", "pending")}
    if "track" in record:
        reply["track"] = record["track"]
    if "queued_for" in record:
        reply["queued_for"] = record["queued_for"]
    if "attempts" in record:
        reply["attempts"] = int(record["attempts"])
    if record.get("result"):
        reply["result"] = json.loads(record["result"])
    if record.get("error"):
        reply["error"] = record["error"]
    if record.get("worker"):
        reply["worker"] = {"name": record["worker"], "track": record.get("worker_track"), "version": record.get("worker_version")}
    times = [float(record[k]) if record.get(k) else None for k in ("submitted", "started", "finished")]
    if times[0] is not None and times[1] is not None:
        reply["queue_wait_ms"] = round((times[1] - times[0]) * 1000, 1)  # to the start of its last attempt
    if times[1] is not None and times[2] is not None:
        reply["service_ms"] = round((times[2] - times[1]) * 1000, 1)
    return reply


def add_job_routes(app, state):
    config = state.config
    queue, off = None, NO_QUEUE
    if config["redis_url"]:
        try:
            queue = JobQueue(config)
        except QueueError as exc:  # no redis-py in this image
            off = f"batch jobs are off: {exc}"

    @app.post("/v1/jobs")
    async def submit_job(request: Request):
        if queue is None:
            return error(503, off)
        try:
            rows, track = job_from_body(await read_json(request), config["max_batch"])
        except BadRequest as exc:
            return error(400, str(exc))
        try:
            job_id, queued_for = await run_in_threadpool(queue.submit, rows, track)
        except QueueError as exc:
            return error(503, str(exc))
        reply = {"id": job_id, "status": "pending", "queued_for": queued_for}
        return JSONResponse(reply, status_code=202, headers={"Location": f"/v1/jobs/{job_id}"})

    @app.get("/v1/jobs/{job_id}")
    async def get_job(job_id: str):
        if queue is None:
            return error(503, off)
        try:
            job_id = str(uuid.UUID(job_id))
        except ValueError:
            return error(404, f"job {job_id[:64]!r} not found: not a job id")
        try:
            record = await run_in_threadpool(queue.get, job_id)
        except QueueError as exc:
            return error(503, str(exc))
        if record is None:
            return error(404, f"job {job_id!r} not found (never submitted, or its record expired)")
        return job_reply(job_id, record)
