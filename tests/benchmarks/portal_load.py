"""The gunicorn servers and the load generator of the portal benchmark (standard library only).

The load generator is a closed loop: `concurrency` threads, each with its own http.client
connection, send the next request as soon as the previous answer is read, for a fixed time
after a warm-up. http.client keeps a connection open when the server allows it and opens a
new one when the server answers `Connection: close` (gunicorn's sync worker always does, as a
worker behind a proxy would have it).
"""

import http.client
import math
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE_HEADER = "X-Werktop-Cache"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- servers -------------------------------------------------------------------------------

@dataclass
class Server:
    label: str
    process: subprocess.Popen
    port: int
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "werktop.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "gthread" if threads > 1 else "sync", "--threads", str(threads),
            "--pythonpath", f"{REPO},{REPO / 'platform'}", "--backlog", "2048",
            "--timeout", "60", "--log-level", "warning",
            # Keep idle connections longer than a simulated visitor thinks (at most 6 s): with
            # gunicorn's default of 2 s the server closes a connection just as the client
            # reuses it, a reset that browsers retry silently but locust counts as an error.
            "--keep-alive", "10"]


def start_server(label: str, env: dict[str, str], workers: int, threads: int,
                 log_dir: Path) -> Server:
    port = free_port()
    log = log_dir / f"gunicorn-{label}.log"
    with log.open("w") as out:
        process = subprocess.Popen(gunicorn_command(port, workers, threads), cwd=REPO,
                                   env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT)
    return Server(label, process, port, log)


def wait_ready(server: Server, host: str, path: str, workers: int, timeout: float = 90) -> None:
    """Until the server answers 200 and all its workers are up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn ({server.label}) exited:\n{server.log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            conn.request("GET", path, headers={"Host": host})
            status = conn.getresponse().status
            conn.close()
            if status == 200 and len(worker_pids(server)) >= workers:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn ({server.label}) not ready:\n{server.log.read_text()}")


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()  # SIGTERM to the master we started: it stops its workers
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def worker_pids(server: Server) -> list[int]:
    return children_of(server.process.pid)


def children_of(parent: int) -> list[int]:
    """The pids of the processes whose parent is `parent` (from /proc)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(entry.name))
    return pids


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLOCK_TICKS


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


# --- load ----------------------------------------------------------------------------------

def nearest_rank(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else math.nan


def _client(port: int, host: str, path: str, deadline: float, out: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies, headers, errors, size = [], Counter(), Counter(), 0
    try:
        while (start := time.perf_counter()) < deadline:
            try:
                conn.request("GET", path, headers={"Host": host})
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors[type(error).__name__] += 1
                conn.close()
                continue
            latencies.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                errors[f"HTTP {response.status}"] += 1
            headers[response.getheader(CACHE_HEADER, "-")] += 1
            size = len(body)
    finally:
        conn.close()
    out.append((latencies, headers, errors, size))


def _run(port: int, host: str, path: str, concurrency: int, seconds: float) -> tuple:
    out: list = []
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=_client, args=(port, host, path, deadline, out))
               for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out, time.perf_counter() - started


def load(server: Server, host: str, path: str, *, concurrency: int, seconds: float,
         warm_up: float) -> dict:
    """Requests/second, latencies and CPU of `seconds` of load after `warm_up` seconds."""
    _run(server.port, host, path, concurrency, warm_up)
    pids = worker_pids(server)
    cpu_before, (busy_before, total_before) = cpu_seconds(pids), machine_ticks()
    client_before = time.process_time()
    out, elapsed = _run(server.port, host, path, concurrency, seconds)
    client_cpu = time.process_time() - client_before
    busy_after, total_after = machine_ticks()
    worker_cpu = cpu_seconds(pids) - cpu_before
    latencies = [ms for part in out for ms in part[0]]
    headers = sum((part[1] for part in out), Counter())
    errors = sum((part[2] for part in out), Counter())
    count = len(latencies)
    return {
        "count": count, "rps": count / elapsed, "latencies": latencies,
        "headers": headers, "errors": errors, "size": max(part[3] for part in out),
        "worker_cpu_ms": worker_cpu * 1000 / max(count, 1),
        "client_cpu_ms": client_cpu * 1000 / max(count, 1),
        "machine_cpu_ms": (busy_after - busy_before) / CLOCK_TICKS * 1000 / max(count, 1),
        "busy": (busy_after - busy_before) / max(total_after - total_before, 1),
    }
