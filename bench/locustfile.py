"""Load test (locust, headless): simulated officials log in, start the 30-question timed test
BENCH30, answer one more question every 10 s (the page's autosave sends the whole form, as
assessments.js does), submit after the last one, and start again.

Every answer the server acknowledged is appended to ANSWERS_LOG (JSON lines), so that
bench/loadcheck.py can prove none was lost. Run by bench/loadtest.py; by hand:

    bench/out/venv-load/bin/locust -f bench/locustfile.py --headless -u 200 -r 5 -t 3m \
        --host http://127.0.0.1:8000
"""

import itertools
import json
import os
import random
import re
from urllib.parse import urlencode

from locust import FastHttpUser, constant, task

COURSE = os.environ.get("LOAD_COURSE", "BENCH30")
PASSWORD = os.environ.get("LOAD_PASSWORD", "Bench@2026")
FIRST = int(os.environ.get("LOAD_FIRST_OFFICIAL", "1"))
ANSWERS_LOG = os.environ.get("ANSWERS_LOG", "bench/out/answers.jsonl")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RADIO = re.compile(r'<input type="radio" name="(r\d+)" value="([^"]*)"')
SLOT = re.compile(r'<input type="hidden" name="slots" value="(\d+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

_numbers = itertools.count(FIRST)
_log = open(ANSWERS_LOG, "a", encoding="utf-8")  # noqa: SIM115  (one file for the whole run)


def _write(record: dict) -> None:
    _log.write(json.dumps(record) + "\n")
    _log.flush()


class Taker(FastHttpUser):
    """One official taking the test again and again."""

    wait_time = constant(10)

    def on_start(self) -> None:
        self.username = f"dn{next(_numbers):06d}"
        page = self.client.get("/auth/login", name="login page")
        token = CSRF.search(page.text).group(1)
        body = {"username": self.username, "password": PASSWORD, "csrf_token": token}
        with self.client.post(
            "/auth/login",
            data=urlencode(body),
            headers=FORM,
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as reply:
            if reply.status_code != 302:
                reply.failure(f"login {self.username}: HTTP {reply.status_code}")
        self.begin()

    def begin(self) -> None:
        """Open the test page, start an attempt, read its questions."""
        self.attempt = None
        page = self.client.get(f"/courses/{COURSE}/test", name="test page")
        match = CSRF.search(page.text or "")
        if not match:
            return
        with self.client.post(
            f"/courses/{COURSE}/test/start",
            data=urlencode({"csrf_token": match.group(1)}),
            headers=FORM,
            allow_redirects=False,
            name="start",
            catch_response=True,
        ) as reply:
            location = reply.headers.get("Location", "")
            if reply.status_code != 302 or "/attempts/" not in location:
                reply.failure(f"start: HTTP {reply.status_code} {location}")
                return
        self.attempt = int(location.rstrip("/").split("/attempts/")[1].split("?")[0].split("/")[0])
        html = self.client.get(f"/attempts/{self.attempt}", name="attempt page").text or ""
        self.token = CSRF.search(html).group(1)
        self.slots = SLOT.findall(html)
        self.choices: dict[str, list[str]] = {}
        for name, value in RADIO.findall(html):
            self.choices.setdefault(name, []).append(value)
        self.answered: dict[str, str] = {}

    def _body(self, **extra) -> str:
        return urlencode(
            {"csrf_token": self.token, "slots": self.slots} | self.answered | extra, doseq=True
        )

    @task
    def step(self) -> None:
        if self.attempt is None:
            self.begin()
            return
        waiting = [name for name in self.choices if name not in self.answered]
        if waiting:
            name = waiting[0]
            self.answered[name] = random.choice(self.choices[name])
            with self.client.post(
                f"/attempts/{self.attempt}/save",
                data=self._body(),
                headers=FORM | {"Accept": "application/json"},
                name="autosave",
                catch_response=True,
            ) as reply:
                if reply.status_code == 200 and (reply.json() or {}).get("saved"):
                    _write(
                        {
                            "attempt": self.attempt,
                            "field": name,
                            "value": self.answered[name],
                            "ack": True,
                        }
                    )
                else:
                    reply.failure(f"autosave: HTTP {reply.status_code}")
                    _write(
                        {
                            "attempt": self.attempt,
                            "field": name,
                            "value": self.answered[name],
                            "ack": False,
                        }
                    )
            return
        with self.client.post(
            f"/attempts/{self.attempt}",
            data=self._body(action="finish"),
            headers=FORM,
            allow_redirects=False,
            name="submit",
            catch_response=True,
        ) as reply:
            if reply.status_code != 302 or "review" not in reply.headers.get("Location", ""):
                reply.failure(f"submit: HTTP {reply.status_code}")
        _write({"attempt": self.attempt, "submitted": True})
        self.begin()
