"""A mail backend for the fault drills: every message handed over is appended, as one line
"<Message-ID> <recipient>", to the file named by WERKTOP_FAULT_MAIL_LOG, under an exclusive
lock, so several worker processes (and their successors after a crash) write one record.

Two knobs, read from the environment on every send, so only the drill's worker uses them:
- WERKTOP_FAULT_MAIL_DELAY: seconds the "SMTP conversation" takes before the hand-over.
- WERKTOP_FAULT_HOLD_AFTER: once this many messages were handed over, every further send
  hangs before its hand-over (an SMTP server that stopped answering) and writes its process id
  to "<log>.held". The drill kills the worker then: a crash while mails are being sent,
  without ever hitting the milliseconds between hand-over and recording.
"""

import fcntl
import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def records(log: Path) -> list[tuple[str, str]]:
    """(Message-ID, recipient) of every message handed over so far."""
    if not log.exists():
        return []
    return [tuple(line.split(" ", 1)) for line in log.read_text().splitlines() if line]


def held_processes(log: Path) -> set[int]:
    held = log.with_name(log.name + ".held")
    return {int(pid) for pid in held.read_text().split()} if held.exists() else set()


def _append(path: Path, line: str) -> None:
    with path.open("a") as out:
        fcntl.flock(out, fcntl.LOCK_EX)
        try:
            out.write(line + "\n")
            out.flush()
            os.fsync(out.fileno())
        finally:
            fcntl.flock(out, fcntl.LOCK_UN)


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        log = Path(os.environ["WERKTOP_FAULT_MAIL_LOG"])
        delay = float(os.environ.get("WERKTOP_FAULT_MAIL_DELAY", "0"))
        hold_after = int(os.environ.get("WERKTOP_FAULT_HOLD_AFTER", "0"))
        for message in email_messages:
            time.sleep(delay)
            message_id = message.message()["Message-ID"]
            # Count and hand over under one lock: two processes never both take the last place
            # before the hold (which would hand over hold_after + 1 messages).
            with log.with_name(log.name + ".lock").open("a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                hold = hold_after and len(records(log)) >= hold_after
                if not hold:
                    for recipient in message.recipients():
                        _append(log, f"{message_id} {recipient}")
                fcntl.flock(lock, fcntl.LOCK_UN)
            if hold:
                _append(log.with_name(log.name + ".held"), str(os.getpid()))
                while True:  # until the drill kills this process
                    time.sleep(1)
        return len(email_messages)
