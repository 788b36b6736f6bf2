"""gunicorn configuration for the WBS web process: ``gunicorn -c infra/gunicorn.conf.py wbs.wsgi:application``.

Every value can be changed from the environment; the defaults are what production runs.
``wbs bench intake`` serves through this very file (it only overrides ``bind``).
"""

import gc
import itertools
import os
import re
from typing import Any

from gunicorn import glogging


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this container may actually use
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = [os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")]

# Processes give parallelism (the GIL); threads let a process overlap the waits on
# PostgreSQL, Redis and storage. cores + 1 processes with 6 threads each is 3 x 6 = 18
# requests in flight on 2 cores: more than 16 concurrent reporters. Measured with
# `wbs bench intake` on 2 cores against the usual 2 x cores + 1 processes with 4
# threads, in back-to-back runs: fewer processes fight less over the cores, so report
# submissions per second and their 99th-percentile latency both came out better
# (p99 112-136 ms against 160-403 ms; the machine's noise moves both a lot).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", _cores() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 6))

# A request that takes longer than this has a worker killed under it; uploads of
# evidence over slow mobile links are read by the proxy first, not by us.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Idle keep-alive connections cost a gthread worker no thread. Behind a load balancer
# set this above the balancer's own idle timeout (e.g. 75 behind a 60-second ALB).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then so slow leaks cannot grow; jitter keeps them from
# restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 10

# X-Forwarded-Proto/-For are believed only from the reverse proxy. Default: a proxy on
# this host; in a container set FORWARDED_ALLOW_IPS to the proxy's address. Never "*"
# when gunicorn can be reached without going through the proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The worker heartbeat file: in memory, not on a container's overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - gunicorn's own advice
# gunicorn >= 24 opens a control socket at one fixed path per user; two servers on a
# host would fight over it, and nothing here uses it (deploys signal the master).
control_socket_disable = True

# NO ACCESS LOG. An access log line is the client's IP address, the time and the URL:
# for a whistleblowing service that is a list of who reported and when, which
# anonymous reporting promises does not exist. Request counts and latencies come
# from metrics; the reverse proxy must be configured the same way.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

_CLIENT_ADDRESS = re.compile(r"\bip=\S*?(?=:?\s|:?$)")  # IPv4 or IPv6, not the ": " after it


class NoClientAddressLogger(glogging.Logger):
    """gunicorn's error log names the client ("Invalid request from ip=...") on a
    malformed request; the address is replaced before anything is written."""

    def warning(self, msg: Any, *args: Any, **kwargs: Any) -> None:
        super().warning(_CLIENT_ADDRESS.sub("ip=[removed]", str(msg)), *args, **kwargs)

    # No access log, whatever the command line or a logging config says.
    @property
    def access_log_enabled(self) -> bool:
        return False

    def access(self, *args: Any, **kwargs: Any) -> None:
        return None


logger_class = NoClientAddressLogger


# Garbage collection. A full collection walks every object the collector tracks while
# holding the interpreter lock, so it stalls all of a worker's threads: 200-320 ms in
# a warm worker here (gc callbacks during `wbs bench intake`), which was the tail of
# the submission latency. Once a worker has served its first requests, Django has
# loaded its URL map, templates and translations; freezing those long-lived objects
# takes them out of every later collection, which then walks only what requests
# create. Frozen objects are never collected, which is what they are for.
FREEZE_AFTER_REQUESTS = frozenset({25, 500})
_requests_served = itertools.count(1)  # per worker: the master serves no requests


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    if next(_requests_served) in FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
