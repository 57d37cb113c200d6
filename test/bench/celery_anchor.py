"""The anchor the job runner replaces: the same count of no-op jobs through Celery + Redis, durably.

Run by test/bench/queue.ts when Debian's python3-celery, python3-redis and redis-server are installed:
    /usr/bin/python3 test/bench/celery_anchor.py JOBS CONCURRENCY
Redis runs in a temporary directory with appendonly + appendfsync always (every write fsync'd: the same durability as
SQLite's synchronous=FULL); results go to Redis too (the runner records each job's state); acks_late, prefetch 1,
as the old guide configured the worker. Each task returns the time it ran; the figure is tasks per second between the
first and the last task, so the worker's start-up is not counted (the runner bench does not count it either).
Prints one JSON line.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    jobs = int(sys.argv[1])
    concurrency = int(sys.argv[2])
    work = tempfile.mkdtemp(prefix="izisales-celery-")
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", work, "--appendonly", "yes",
         "--appendfsync", "always", "--save", "", "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        url = "redis://127.0.0.1:%d/0" % port
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        module = os.path.join(work, "anchor_tasks.py")
        with open(module, "w") as f:
            f.write(
                "import time\n"
                "from celery import Celery\n"
                "app = Celery('anchor', broker=%r, backend=%r)\n"
                "app.conf.update(task_acks_late=True, worker_prefetch_multiplier=1, task_serializer='json',\n"
                "                result_serializer='json', accept_content=['json'], broker_connection_retry_on_startup=True)\n"
                "@app.task\n"
                "def noop():\n"
                "    return time.time()\n" % (url, url))
        sys.path.insert(0, work)
        import anchor_tasks  # noqa: E402

        results = [anchor_tasks.noop.delay() for _ in range(jobs)]
        pool = ["--pool=solo"] if concurrency == 1 else ["--pool=prefork", "--concurrency=%d" % concurrency]
        worker = subprocess.Popen(
            ["/usr/bin/python3", "-m", "celery", "-A", "anchor_tasks", "worker", "--loglevel=ERROR", "--without-gossip",
             "--without-mingle", "--without-heartbeat"] + pool,
            cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times = [r.get(timeout=600) for r in results]
        # Let the results go while Redis is still up (their finalizers talk to it).
        del results[:]
        import gc
        gc.collect()
        span = max(times) - min(times)
        print(json.dumps({"jobs": jobs, "concurrency": concurrency, "seconds": round(span, 3),
                          "jobs_per_s": round((jobs - 1) / span, 1) if span > 0 else None}))
    finally:
        if worker:
            worker.terminate()
            worker.wait()
        redis.terminate()
        redis.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
