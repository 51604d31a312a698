"""model-canary's model server: FastAPI on uvicorn, speaking KServe V1 and the Open Inference Protocol (V2).

One server for every template: it serves a scikit-learn estimator saved with joblib (.joblib, .pkl) or an ONNX
model (.onnx, run with onnxruntime). Class names come from the model card (model-card.json beside the model,
"class_names") when it has them, else from the model itself (scikit-learn's classes_, ONNX's labels); the number
of features comes from the model (n_features_in_, or the ONNX input's shape). Regressors answer numbers.

Configuration, all from the environment:
  PORT                  port to listen on (default 8080)
  MODEL_NAME            name in the URLs (default model)
  MODEL_DIR             directory holding the model and model-card.json (default: ./model beside this file)
  MODEL_FILE            the model's file name in MODEL_DIR (default: the one .joblib, .pkl or .onnx file there)
  MODEL_FRAMEWORK       sklearn or onnx (default: from MODEL_FILE's extension)
  MODEL_VERSION         the version V2 reports when the card has no "variant" (default 1)
  LOG_LEVEL             debug, info, warning or error (default info); one JSON line per log record on stdout
  MAX_BATCH             most rows in one request (default 1024)
  DRAIN_DELAY_SECONDS   after SIGTERM: seconds readiness is false while new requests are still served (default 2)
  DRAIN_TIMEOUT_SECONDS after that: seconds in-flight requests get to finish before the process exits (default 20)
  MODEL_TRACK           the pod's track label (stable or canary), through the downward API; labels every metric
                        (default unknown)
  MODEL_METRICS         off: no metrics at all (/metrics answers 503); for measuring what they cost (npm run
                        bench:metrics)
  MODEL_FAULT           for tests only: none (default), or a fault to inject, to see what a canary does with a bad model:
                          crash        exit with status 3 at once, before serving anything
                          never-ready  live, loads the model, but never reports ready
                          oom          at load, allocate memory until the container's memory limit kills it
                          slow         every prediction takes MODEL_FAULT_DELAY_MS longer (default 1000)
                          error        every prediction answers 500
                          error-outliers  a prediction with an input above MODEL_FAULT_OUTLIER (default 100) answers
                                       500: a model that passes the smoke cases and fails on inputs users send
                          wrong        every prediction answers another class than the model's
                          exit-after-ready  serve normally, then exit with status 3 MODEL_FAULT_AFTER_SECONDS (default 25)
                                       after it became ready: a model that passes its checks, then dies
                          crash-on-job exit with status 3 on the first prediction: a request, or a worker's first job (which
                                       the next start of that worker requeues)
  MODEL_FAULT_TRACK     for tests only: inject MODEL_FAULT only when MODEL_TRACK (the pod's track label, through the
                        downward API) is this, for example stable: a model that is fine as a canary and fails once promoted
Batch jobs, through a Redis queue (redis-py, Debian's python3-redis; model_server/jobqueue.py says why not RQ):
  MODEL_MODE            server (default): the HTTP server, with POST /v1/jobs and GET /v1/jobs/ID when REDIS_URL is set;
                        worker: takes jobs from the queue and runs them, serving only /healthz, /readyz and /metrics on PORT
  REDIS_URL             the queue's Redis, e.g. redis://redis:6379/0 (rediss:// for TLS); required with MODEL_MODE=worker;
                        without it the server's job routes answer 503 and why
  REDIS_PASSWORD        its password (from a Kubernetes Secret); wins over a password in REDIS_URL; never logged
  MODEL_QUEUE           the queue's name, its keys' prefix (default model-canary:<MODEL_NAME>:jobs)
  MODEL_CANARY_WEIGHT   a worker of a track other than stable (MODEL_TRACK): the percent of the jobs submitted without a
                        track that the API sends to its track's list while it runs (unset: only jobs submitted for it)
  MODEL_RESULT_TTL_SECONDS  a job's record expires this long after its submission, and again after its end (default 3600)
  MODEL_JOB_MAX_ATTEMPTS    a job started more often than this (each of its workers died, or was stopped, before its end)
                        fails instead of running again (default 3)
  HOSTNAME              the worker's name (the pod's name): its processing list and heartbeat are keyed by it
  DRAIN_TIMEOUT_SECONDS also a worker's: after SIGTERM it takes no job, and the one running gets this long before it goes
                        back to the queue; DRAIN_DELAY_SECONDS does not apply to a worker
A job is at least once: a worker moves it atomically into its own processing list (BLMOVE), and writes its outcome
and takes it off that list in one step only the holder can make, so a job has one outcome, written once; it runs again
only when a run ended without one (a crash, an OOM kill, a lost node, the drain timeout). A worker exits 2 when Redis
refuses its password, and retries an unreachable Redis with backoff (not ready meanwhile). MODEL_FAULT applies to a
worker's jobs too: error and error-outliers fail the job with the fault's message, wrong writes wrong predictions with
status done, slow delays each job, crash exits at start, never-ready loads the model and never takes a job.
GET /metrics answers the server's metrics in the Prometheus text format (with prometheus_client; without it, 503 and
why): requests by route and status, their latency, requests in flight, the model's load time and, for a classifier,
predictions by class, each labelled model, version and track. Probes and scrapes are not counted as requests.
The model is loaded in the background: the server is live at once (/healthz) and ready (/readyz) only once the
model is loaded and has answered a warm-up prediction. Predictions of a classifier are class names (strings):
KServe V1 "predictions", and V2 output "predict" with datatype BYTES.

This file only starts the server: the code is the package model_server/ beside it (one module per concern; the
images hold both in /app), and its tests are in tests/ (python3 -m pytest templates/docker/server/tests).
"""
import os
import sys

# The package is beside this file; put it first on the path even when run with runpy or from another directory.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from model_server.main import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
