"""The batch worker (MODEL_MODE=worker): takes jobs from the queue one at a time, predicts with the same model code
as the server (ModelState), writes each outcome, and drains on SIGTERM.

Semantics: at least once. A job is moved atomically from the queue into this worker's processing list (BLMOVE); its
outcome is written, and it leaves that list, in one step (jobqueue.FINISH) that only the holder of the job can make,
so an outcome is never written twice. A job runs again only when its run ended without an outcome: the process died
(crash, OOM kill: the next start with the same HOSTNAME requeues it; a pod that is gone for good: any worker requeues
its jobs once its heartbeat has expired) or the drain timed out (it is requeued at once).
After MODEL_JOB_MAX_ATTEMPTS starts the job fails instead of running again: a job that kills its worker does not
crash-loop every worker. On SIGTERM no job is taken any more; the one running gets DRAIN_TIMEOUT_SECONDS to finish,
then goes back to the head of the queue, and the process exits 0."""
import logging
import os
import signal
import threading
import time

from .config import CONFIG_EXIT_CODE
from .job_outcome import job_outcome
from .jobqueue import HEARTBEAT_SECONDS, QueueError
from .logs import event

TAKE_TIMEOUT = 1  # seconds a BLMOVE waits: how soon an idle worker sees SIGTERM
BACKOFF = (0.5, 1, 2, 4, 8, 10)  # seconds between attempts to reach an unreachable queue, the last one repeated


class Worker:
    def __init__(self, state, queue, job_metrics):
        self.state, self.queue, self.metrics = state, queue, job_metrics
        self.config = state.config
        self.connected = False
        self.current = None  # the id of the job running
        self.stale = False  # this worker's processing list holds a job whose outcome could not be written
        self.lock = threading.RLock()  # the outcome is written, or the job given back, not both

    @property
    def ready(self):
        return self.state.ready and self.connected

    def on_signal(self, sig, _frame):
        if self.state.draining:
            self.give_back_and_exit("second signal: exiting at once")
        self.state.draining = True
        event(logging.INFO, "signal received: taking no more jobs; draining", event="draining", signal=signal.Signals(sig).name,
              job=self.current, timeout_seconds=self.config["drain_timeout"])
        threading.Thread(target=self.stop_routing, name="stop-routing", daemon=True).start()
        timer = threading.Timer(self.config["drain_timeout"], self.give_back_and_exit, ["drain timed out; the job running, if any, goes back to the queue"])
        timer.daemon = True
        timer.start()

    def give_back_and_exit(self, message):
        with self.lock:
            job_id, requeued = self.current, False
            if job_id is not None:
                try:
                    requeued = self.queue.requeue(job_id)
                except QueueError as exc:  # it stays in the processing list: the next start requeues it
                    event(logging.ERROR, f"could not requeue the job: {exc}", event="requeue-failed", job=job_id)
                if requeued:
                    self.metrics.ended("requeued", 0.0)
            event(logging.WARNING, message, event="exit-now", job=job_id, requeued=requeued)
            self.leave()
            logging.shutdown()
            os._exit(0)

    def give_back(self, job_id):
        with self.lock:
            try:
                requeued = self.queue.requeue(job_id)
            except QueueError as exc:  # it stays in the processing list: the next start requeues it
                event(logging.ERROR, f"could not requeue the job: {exc}", event="requeue-failed", job=job_id)
                requeued = False
            self.current = None
        event(logging.INFO, "job given back: it was taken as the signal came", event="job-requeued", job=job_id, requeued=requeued)

    def stop_routing(self):
        try:
            self.queue.stop_routing()
        except QueueError as exc:  # it expires with the last heartbeat
            event(logging.WARNING, f"could not stop the routing to this track: {exc}", event="routing-stop-failed")

    def leave(self):
        """A track's last worker to stop hands its waiting list over to stable's (stable never loses a job to it)."""
        if self.queue.track is None:
            return
        try:
            if self.queue.track in self.queue.live_tracks(but_me=True):
                return
            if moved := self.queue.hand_over():
                event(logging.INFO, f"handed {moved} waiting job(s) over to stable's queue", event="jobs-handed-over", jobs=moved, track=self.queue.track)
        except QueueError as exc:  # the stable workers hand it over once this worker's heartbeat expires
            event(logging.WARNING, f"could not hand the waiting jobs over: {exc}", event="hand-over-failed")

    def heartbeat(self):
        """Every third of HEARTBEAT_SECONDS: this worker's heartbeat, then the jobs of workers whose beat expired and
        the waiting lists of tracks that no longer have a worker."""
        while True:
            time.sleep(HEARTBEAT_SECONDS / 3)
            try:
                self.queue.beat(route=not self.state.draining)  # a draining worker still holds its job: it beats
                self.metrics.waiting_now(self.queue.depth())
                if orphans := self.queue.recover_orphans():
                    event(logging.WARNING, f"requeued {len(orphans)} job(s) left unfinished by a worker that died", event="jobs-recovered", jobs=orphans)
                for track, moved in self.queue.hand_over_orphan_tracks().items():
                    event(logging.WARNING, f"handed {moved} waiting job(s) of track {track} over to stable's queue: it has no worker left",
                          event="jobs-handed-over", jobs=moved, track=track)
            except QueueError as exc:  # the main loop says it too, and retries
                event(logging.WARNING, f"no heartbeat: {exc}", event="heartbeat-failed")

    def with_backoff(self, fn, what):
        """fn() until the queue answers; a refused password is not retried (QueueError raised)."""
        for attempt in range(1_000_000):
            try:
                result = fn()
                self.connected = True
                return result
            except QueueError as exc:
                self.connected = False
                if exc.auth:
                    raise
                delay = BACKOFF[min(attempt, len(BACKOFF) - 1)]
                event(logging.WARNING, f"{what}: {exc}; retrying in {delay}s", event="queue-unreachable", attempt=attempt + 1)
                time.sleep(delay)
                if self.state.draining:
                    return None

    def run(self):
        signal.signal(signal.SIGTERM, self.on_signal)
        signal.signal(signal.SIGINT, self.on_signal)
        try:
            self.with_backoff(self.queue.ping, "cannot reach the job queue")
            self.with_backoff(self.queue.beat, "cannot reach the job queue")
            recovered = self.with_backoff(lambda: self.queue.recover() + self.queue.recover_orphans(), "cannot recover jobs") or []
            handed = self.with_backoff(self.queue.hand_over_orphan_tracks, "cannot recover jobs") or {}
        except QueueError as exc:
            event(logging.CRITICAL, str(exc), event="queue-auth-error", queue=self.config["queue"])
            return CONFIG_EXIT_CODE
        if self.state.draining:
            return 0
        if recovered:
            event(logging.WARNING, f"requeued {len(recovered)} job(s) left unfinished by a worker that died", event="jobs-recovered", jobs=recovered)
        for track, moved in handed.items():
            event(logging.WARNING, f"handed {moved} waiting job(s) of track {track} over to stable's queue: it has no worker left",
                  event="jobs-handed-over", jobs=moved, track=track)
        threading.Thread(target=self.heartbeat, name="heartbeat", daemon=True).start()
        self.state.load()  # exits the process if the model cannot be loaded
        self.metrics.model_loaded()
        event(logging.INFO, "taking jobs", event="worker-ready", queue=self.queue.mine, processing=self.queue.processing, loaded=self.state.loaded)
        while not self.state.draining:
            if not self.state.loaded:  # the never-ready fault: loaded, but it never takes a job
                time.sleep(0.2)
                continue
            try:
                if self.stale:  # an outcome could not be written: that job goes back to the queue, to run again
                    self.stale = not self.with_backoff(lambda: self.queue.recover() or True, "cannot requeue this worker's jobs")
                job_id = self.with_backoff(lambda: self.queue.take(TAKE_TIMEOUT), "cannot take a job")
            except QueueError as exc:
                event(logging.CRITICAL, str(exc), event="queue-auth-error", queue=self.config["queue"])
                return CONFIG_EXIT_CODE
            if job_id is not None:
                with self.lock:
                    self.current = job_id
                if self.state.draining:  # taken as the signal came: not started, back at once
                    self.give_back(job_id)
                    continue
                self.run_job(job_id)
        self.leave()
        event(logging.INFO, "stopped", event="stopped")
        return 0

    def run_job(self, job_id):
        started = time.time()
        try:
            record = self.queue.start(job_id, self.config["track"], self.state.version)
        except QueueError as exc:  # still in the processing list: requeued before the next take
            event(logging.ERROR, f"could not start the job: {exc}", event="start-failed", job=job_id)
            self.current, self.stale = None, True
            return
        if record is None:
            self.current = None
            event(logging.WARNING, "job dropped: its record has expired (MODEL_RESULT_TTL_SECONDS), never existed, or has an outcome already", event="job-dropped", job=job_id)
            return
        attempts = int(record.get("attempts", 1))
        self.metrics.started(started - float(record.get("submitted") or started))
        if attempts > self.config["max_attempts"]:
            n = attempts - 1
            outcome = {"status": "failed", "error": f"gave up after {n} attempt{'s' * (n != 1)}: each time, the worker running it stopped before it ended"}
        else:
            outcome = job_outcome(self.state, record)
        with self.lock:
            try:
                written = self.queue.finish(job_id, outcome)
            except QueueError as exc:  # the job stays in the processing list: requeued before the next take
                event(logging.ERROR, f"could not write the job's outcome: {exc}", event="finish-failed", job=job_id)
                written, self.stale = False, True
            self.current = None
        seconds = time.time() - started
        status = outcome["status"] if written else "lost"
        self.metrics.ended(status, seconds)
        if not written:
            event(logging.WARNING, f"job outcome ({outcome['status']}) discarded: the job is no longer this worker's", event="job-lost", job=job_id)
            return
        event(logging.INFO if status == "done" else logging.WARNING, f"job {status}", event=f"job-{status}", job=job_id, attempts=attempts,
              seconds=round(seconds, 3), **({"error": outcome["error"]} if "error" in outcome else {}))


def run_worker(config):
    from .job_metrics import JobMetrics
    from .jobqueue import JobQueue
    from .metrics import load_metrics
    from .state import ModelState
    from .worker_http import serve_probes

    state = ModelState(config)
    state.metrics = load_metrics(config, lambda: state.version)
    state.metrics.serves_requests = False
    try:
        queue = JobQueue(config, socket_timeout=TAKE_TIMEOUT + 5)
    except QueueError as exc:  # no redis-py in this image
        event(logging.CRITICAL, str(exc), event="config-error")
        return CONFIG_EXIT_CODE
    worker = Worker(state, queue, JobMetrics(state.metrics))
    serve_probes(config["port"], lambda: worker.ready, state.metrics)
    event(logging.INFO, "starting a batch worker", event="starting", mode="worker", port=config["port"], model=config["model_name"],
          queue=config["queue"], worker=config["worker_name"], fault=config["fault"], track=config["track"], uid=os.getuid())
    return worker.run()
