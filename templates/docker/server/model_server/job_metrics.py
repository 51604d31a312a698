"""The worker's metrics (MODEL_MODE=worker), in the server metrics' registry and with their labels model, version
and track: jobs by outcome, how long each ran, and how long it waited in the queue."""
from .metrics import LATENCY_BUCKETS

# Queue wait, submission to start, in seconds: from 10 ms (an idle worker) to an hour (MODEL_RESULT_TTL_SECONDS'
# default: a job that waited longer has lost its record).
WAIT_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0)
OUTCOMES = ("done", "failed", "requeued", "lost")


class JobMetrics:
    """Over ServerMetrics; over NoMetrics (no prometheus_client, or MODEL_METRICS=off) it records nothing."""

    def __init__(self, server_metrics):
        self.server = server_metrics
        self.available = server_metrics.available
        if not self.available:
            return
        client, registry, common = server_metrics.client, server_metrics.registry, ("model", "version", "track")
        self.jobs = client.Counter(
            "model_jobs", "Batch jobs a worker ended, by status: done, failed, requeued (given back to the queue at the drain timeout) or lost "
            "(its outcome discarded: the job was no longer this worker's).",
            common + ("status",), registry=registry)
        self.duration = client.Histogram(
            "model_job_duration_seconds", "Time from a job's start on a worker to its outcome written.", common, buckets=LATENCY_BUCKETS, registry=registry)
        self.wait = client.Histogram(
            "model_job_queue_wait_seconds", "Time from a job's submission to its start on a worker (each attempt).", common,
            buckets=WAIT_BUCKETS, registry=registry)
        self.in_progress = client.Gauge("model_jobs_in_progress", "Batch jobs this worker is running now (0 or 1).", common, registry=registry)
        # Every worker of a track reports the same length: scale on its max (an external metric), not on a per-pod sum.
        self.waiting = client.Gauge(
            "model_jobs_waiting", "Jobs waiting in this worker's list (its track's), read with each heartbeat.", common, registry=registry)

    def model_loaded(self):
        """Every series from the start, at 0, like the request metrics."""
        if self.available:
            labels = self.server.labels()
            for status in OUTCOMES:
                self.jobs.labels(*labels, status)
            self.in_progress.labels(*labels)
            self.waiting.labels(*labels)

    def waiting_now(self, count):
        if self.available:
            self.waiting.labels(*self.server.labels()).set(count)

    def started(self, wait_seconds):
        if self.available:
            labels = self.server.labels()
            self.wait.labels(*labels).observe(max(wait_seconds, 0.0))
            self.in_progress.labels(*labels).inc()

    def ended(self, status, seconds):
        if self.available:
            labels = self.server.labels()
            self.in_progress.labels(*labels).dec()
            self.jobs.labels(*labels, status).inc()
            if status in ("done", "failed"):
                self.duration.labels(*labels).observe(seconds)
