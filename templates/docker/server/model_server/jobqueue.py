"""The batch-job queue on Redis (redis-py, Debian's python3-redis): job records, the queue, each worker's processing
list, and the moves between them, each atomic (a MULTI transaction or a Lua script).

Why plain Redis lists and not RQ (python3-rq 1.13 is in bookworm too): an RQ job is a pickled Python call, so the
submitter and the worker share code and the worker unpickles whatever the queue holds; RQ forks a work horse per job,
so the model is either loaded per job or lives in a parent that must not run it; and a job whose worker died goes to
RQ's failed registry, not back to the queue. This server needs less, and that last point the other way round: a JSON
payload, the model loaded once per process, and a job in progress that goes back to the queue when its worker is
stopped or dies. BLMOVE from the queue into a list of the worker's own gives that (at-least-once), with no more code
than this module and no dependency beyond redis-py.

Keys, for a queue named Q (MODEL_QUEUE):
  Q                      the ids of stable's jobs waiting: submitters LPUSH, workers take from the right (first in,
                         first out)
  Q:track:<track>        the ids waiting for another track's workers (a canary's): a job submitted with that track,
                         or routed there by Q:routing; a worker of the track takes only from it
  Q:routing              a hash, track -> percent of the jobs submitted without a track that go to that track's list;
                         its workers (MODEL_CANARY_WEIGHT) write it with their heartbeat, so it expires with them
  Q:job:<id>             a hash: status, inputs (JSON), track, submitted, started, finished, attempts, result (JSON),
                         error, worker, worker_track, worker_version; it expires MODEL_RESULT_TTL_SECONDS after the
                         submission, and again after the job finished
  Q:processing:<worker>  the ids a worker (its HOSTNAME) has taken and not finished: at most one
  Q:worker:<worker>      the worker's heartbeat (its track), expiring HEARTBEAT_SECONDS after its last beat: a
                         processing list without one belongs to a pod that is gone (node lost, evicted), and any worker
                         requeues it; a track's list with no live worker of that track goes back to Q the same way

Stable never loses a job to another track: a job given back (a drain that timed out, a crash, a pod gone) goes to the
head of Q whichever track ran it, so a canary that fails on a job never gets it again, and a track's last worker to stop
hands its waiting list over to Q.
"""
import json
import random
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

try:
    import redis
except ImportError:  # an image without redis-py serves predictions; its job routes answer 503 and why
    redis = None

NO_REDIS = "this image has no redis-py (Debian: python3-redis, pip: redis), so no job queue"

HEARTBEAT_SECONDS = 30
# The job's record, if it still exists and has no outcome yet: running, one more attempt; else it is dropped from
# the processing list (an expired job, or an id queued twice: it does not run again).
START = """
local status = redis.call('HGET', KEYS[2], 'status')
if not status or status == 'done' or status == 'failed' then redis.call('LREM', KEYS[1], 0, ARGV[1]) return false end
redis.call('HSET', KEYS[2], 'status', 'running', 'started', ARGV[2], 'worker', ARGV[3], 'worker_track', ARGV[4], 'worker_version', ARGV[5])
redis.call('HINCRBY', KEYS[2], 'attempts', 1)
return redis.call('HGETALL', KEYS[2])
"""
# The outcome is written only by the worker that still holds the job: never twice, never after it went back.
FINISH = """
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
"""
# Back to the head of the queue (taken next), pending again, if this worker still holds it.
# A track's waiting list appended to stable's, in order (its oldest job taken first); answers how many moved.
HAND_OVER = """
local n = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT') do n = n + 1 end
return n
"""
REQUEUE = """
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[3], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('HSET', KEYS[2], 'status', 'pending') end
return 1
"""


STABLE_TRACKS = ("stable", "unknown", "")
ROUTING_CACHE_SECONDS = 1.0


def own_list_track(track):
    """The track whose waiting list a worker of `track` takes from (None: stable's, Q)."""
    return None if (track or "") in STABLE_TRACKS else track


class QueueError(Exception):
    """The queue could not be used; str() is the reason, fit for a 503 or a log line. auth: the password was refused."""

    def __init__(self, message, auth=False):
        super().__init__(message)
        self.auth = auth


def escaped(prefix):
    """A key prefix as a SCAN pattern that matches it literally."""
    return "".join("\\" + c if c in "*?[]\\" else c for c in prefix)


def redacted(url):
    """The URL without its user and password."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def queue_error(exc, url):
    where = f"the job queue at {redacted(url)}"
    text = str(exc)
    if isinstance(exc, redis.exceptions.AuthenticationError) or text.startswith(("NOAUTH", "WRONGPASS", "invalid password")):
        return QueueError(f"{where} refused the password (REDIS_PASSWORD): {text}", auth=True)
    if isinstance(exc, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
        return QueueError(f"{where} is unreachable: {text}")
    return QueueError(f"{where} failed: {type(exc).__name__}: {text}")


class JobQueue:
    def __init__(self, config, socket_timeout=5.0):
        if redis is None:
            raise QueueError(NO_REDIS)
        self.url = config["redis_url"]
        self.ttl = config["result_ttl"]
        self.queue = config["queue"]
        self.worker = config["worker_name"]
        self.processing = f"{self.queue}:processing:{self.worker}"
        self.track = own_list_track(config.get("track"))
        self.mine = self.waiting(self.track)
        self.weight = config.get("canary_weight")  # percent of the untracked jobs this track takes, or None
        self.routing = f"{self.queue}:routing"
        self.routes, self.routes_read = {}, float("-inf")
        self.client = redis.Redis.from_url(self.url, socket_timeout=socket_timeout, socket_connect_timeout=3, decode_responses=True)
        if config["redis_password"]:  # REDIS_PASSWORD, from a Secret, wins over a password in the URL
            self.client.connection_pool.connection_kwargs["password"] = config["redis_password"]
        self.scripts = {name: self.client.register_script(code) for name, code in (("start", START), ("finish", FINISH), ("requeue", REQUEUE), ("hand_over", HAND_OVER))}

    def key(self, job_id):
        return f"{self.queue}:job:{job_id}"

    def waiting(self, track):
        """The waiting list of a track's workers: Q for stable."""
        return self.queue if own_list_track(track) is None else f"{self.queue}:track:{track}"

    def route(self):
        """The track a job submitted without one goes to: another track with the percent Q:routing gives it (read at
        most once a second), else stable."""
        now = time.monotonic()
        if now - self.routes_read > ROUTING_CACHE_SECONDS:
            self.routes, self.routes_read = self.call(self.client.hgetall, self.routing), now
        draw = random.uniform(0, 100)
        for track, percent in sorted(self.routes.items()):
            try:
                draw -= float(percent)
            except ValueError:
                continue
            if draw < 0:
                return track
        return "stable"

    def call(self, fn, *args):
        try:
            return fn(*args)
        except redis.exceptions.RedisError as exc:
            raise queue_error(exc, self.url) from None

    def ping(self):
        return self.call(self.client.ping)

    def submit(self, inputs, track):
        """Records the job and puts it on its track's list (the routing's pick when it names none), in one transaction;
        answers its id and the track whose list it went to."""
        job_id = str(uuid.uuid4())
        queued_for = track or self.route()
        record = {"status": "pending", "inputs": json.dumps(inputs), "submitted": repr(time.time()), "attempts": 0, "queued_for": queued_for}
        if track:
            record["track"] = track

        def write():
            pipe = self.client.pipeline(transaction=True)
            pipe.hset(self.key(job_id), mapping=record).expire(self.key(job_id), self.ttl).lpush(self.waiting(queued_for), job_id)
            pipe.execute()

        self.call(write)
        return job_id, queued_for

    def get(self, job_id):
        """The job's record (a dict of strings), or None when there is none (never submitted, or expired)."""
        return self.call(self.client.hgetall, self.key(job_id)) or None

    def take(self, timeout):
        """The next job's id, moved atomically into this worker's processing list; None after timeout seconds."""
        return self.call(self.client.blmove, self.mine, self.processing, timeout, "RIGHT", "LEFT")

    def start(self, job_id, worker_track, worker_version):
        """Marks the job running (one more attempt); its record, or None when it has expired or already has an outcome
        (then it is dropped)."""
        keys, args = [self.processing, self.key(job_id)], [job_id, repr(time.time()), self.worker, worker_track, worker_version]
        flat = self.call(self.scripts["start"], keys, args)
        if not flat:
            return None
        return dict(zip(flat[::2], flat[1::2]))

    def finish(self, job_id, fields):
        """Writes the outcome (status done or failed, result or error); False when this worker no longer held the job."""
        flat = [x for kv in {**fields, "finished": repr(time.time())}.items() for x in kv]
        return bool(self.call(self.scripts["finish"], [self.processing, self.key(job_id)], [job_id, self.ttl, *flat]))

    def requeue(self, job_id, processing=None):
        """Gives the job back: first in stable's queue (whichever track ran it), pending; False when the processing
        list (this worker's) no longer held it."""
        return bool(self.call(self.scripts["requeue"], [processing or self.processing, self.key(job_id), self.queue], [job_id]))

    def beat(self, route=True):
        """This worker's heartbeat; a track with a weight (re)writes its routing, which expires with the beats (not
        once the worker drains: route=False)."""

        def write():
            pipe = self.client.pipeline(transaction=True)
            pipe.set(f"{self.queue}:worker:{self.worker}", self.track or "stable", ex=HEARTBEAT_SECONDS)
            if route and self.track is not None and self.weight is not None:
                pipe.hset(self.routing, self.track, repr(self.weight)).expire(self.routing, HEARTBEAT_SECONDS)
            pipe.execute()

        self.call(write)

    def stop_routing(self):
        """No more untracked jobs to this worker's track (it is stopping)."""
        if self.track is not None:
            self.call(self.client.hdel, self.routing, self.track)

    def live_tracks(self, but_me=False):
        """The tracks of the workers whose heartbeat is live."""
        prefix = f"{self.queue}:worker:"
        keys = [k for k in self.call(lambda: list(self.client.scan_iter(match=escaped(prefix) + "*", count=200)))
                if not (but_me and k == prefix + self.worker)]
        return set(filter(None, self.call(self.client.mget, keys))) if keys else set()

    def hand_over(self, track=None):
        """Appends a track's waiting list (this worker's, by default) to stable's; answers how many jobs moved."""
        source = self.waiting(track) if track else self.mine
        if source == self.queue:
            return 0
        return int(self.call(self.scripts["hand_over"], [source, self.queue], []))

    def hand_over_orphan_tracks(self):
        """Hands over the waiting lists of tracks that have no live worker and no routing; answers {track: count}."""
        prefix = f"{self.queue}:track:"
        lists = self.call(lambda: list(self.client.scan_iter(match=escaped(prefix) + "*", count=200)))
        if not lists:
            return {}
        live = self.live_tracks() | set(self.call(self.client.hkeys, self.routing))
        moved = {}
        for key in lists:
            track = key[len(prefix):]
            if track not in live and (n := self.hand_over(track)):
                moved[track] = n
        return moved

    def recover_orphans(self):
        """Requeues the jobs in the processing lists of workers whose heartbeat has expired; answers the ids."""
        prefix = f"{self.queue}:processing:"
        pattern = escaped(prefix) + "*"
        moved = []
        for key in self.call(lambda: list(self.client.scan_iter(match=pattern, count=200))):
            name = key[len(prefix):]
            if name == self.worker or self.call(self.client.exists, f"{self.queue}:worker:{name}"):
                continue
            moved += [job_id for job_id in self.call(self.client.lrange, key, 0, -1) if self.requeue(job_id, key)]
        return moved

    def recover(self):
        """Requeues what this worker's processing list still holds from a run that ended without finishing (a crash,
        an OOM kill); answers the ids."""
        ids = self.call(self.client.lrange, self.processing, 0, -1)
        return [job_id for job_id in ids if self.requeue(job_id)]

    def depth(self):
        """How many jobs wait in this worker's list."""
        return self.call(self.client.llen, self.mine)
