"""gunicorn settings for Arki (container and systemd alike). Every value can be overridden with
GUNICORN_CMD_ARGS or the environment variables read here."""

import os

bind = os.environ.get("ARKI_BIND", "0.0.0.0:8000")
# Two workers per core is a good start for a page-rendering app; threads let a worker wait on
# the database while another request renders.
workers = int(os.environ.get("ARKI_WEB_WORKERS", "4"))
threads = int(os.environ.get("ARKI_WEB_THREADS", "2"))
timeout = int(os.environ.get("ARKI_WEB_TIMEOUT", "60"))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
worker_tmp_dir = "/tmp"  # noqa: S108 - a tmpfs: the root filesystem is read-only
forwarded_allow_ips = os.environ.get("ARKI_PROXY_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = (
    '{"time":"%(t)s","request_id":"%({x-request-id}o)s","method":"%(m)s","path":"%(U)s",'
    '"status":%(s)s,"bytes":%(B)s,"ms":%(M)s,"remote":"%(h)s"}'
)


def on_starting(server):
    # django-prometheus in several worker processes: they share metrics through files here.
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for name in os.listdir(directory):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
