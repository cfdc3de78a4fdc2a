"""A mesa room under load, for locust (run by `python -m bench.load`, headless, bounded in time,
127.0.0.1 only): participants sign in and each support their list of proposals, readers
browse theme and proposal pages (and download the plan), and a probe asks /healthz.

The plan comes from the JSON file in LOAD_PLAN (bench/load.py writes it):
{"password", "themes": [slug], "proposals": [id], "participants": [{"email", "supports": [id]}],
 "think_seconds": [low, high], "summary": path}. Production sets Secure cookies, and this
runs over plain http on the loopback: cookies are kept and sent by hand, as a browser behind
the TLS proxy would.
"""
from __future__ import annotations

import json
import os
import random
import re
import time
from http.cookies import SimpleCookie

from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - read once at import
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_participants = iter(PLAN["participants"])
_log = {"signed_in": [], "supports": [], "finished": [], "refused": 0}


class CookieUser(FastHttpUser):
    """Keeps its own cookies (Secure ones too) and sends them on every request."""

    abstract = True

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}

    def call(self, method: str, path: str, name: str, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        with self.client.request(method, path, name=name, headers=headers,
                                 allow_redirects=False, catch_response=True,
                                 **kwargs) as response:
            for header, value in response.headers.items() if response.headers else ():
                if header.lower() == "set-cookie":
                    for morsel in SimpleCookie(value).values():
                        self.cookies[morsel.key] = morsel.value
            if response.status_code >= 400 or response.status_code == 0:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
            return response


class MesaParticipant(CookieUser):
    """Signs in once, supports each proposal of its list (reading its page first), leaves."""

    fixed_count = len(PLAN["participants"])
    wait_time = between(*PLAN["think_seconds"])

    def on_start(self) -> None:
        super().on_start()
        self.account = next(_participants)
        self.todo = list(self.account["supports"])
        page = self.call("GET", "/auth/login", "/auth/login [form]")
        token = CSRF.search(page.text or "")
        response = self.call("POST", "/auth/login", "/auth/login [sign in]", data={
            "email": self.account["email"], "password": PLAN["password"],
            "csrf_token": token.group(1) if token else ""})
        if response.status_code == 303:
            _log["signed_in"].append(time.time())

    @task
    def support_next(self) -> None:
        if not self.todo:
            _log["finished"].append(time.time())
            raise StopUser()
        proposal = self.todo.pop(0)
        page = self.call("GET", f"/proposals/{proposal}", "/proposals/<id> [participant]")
        token = CSRF.search(page.text or "")
        response = self.call(
            "POST", f"/proposals/{proposal}/vote", "/proposals/<id>/vote",
            data={"intent": "support", "csrf_token": token.group(1) if token else ""},
            headers={"HX-Request": "true"})
        if response.status_code == 200:
            _log["supports"].append(time.time())
        else:
            _log["refused"] += 1


class Reader(CookieUser):
    """Browses theme pages (sorts, pages) and proposal pages; now and then the plan."""

    fixed_count = PLAN.get("readers", 50)
    wait_time = between(1, 3)

    @task(6)
    def theme(self) -> None:
        slug = random.choice(PLAN["themes"])  # noqa: S311 - load test, not secrets
        sort = random.choice(("votes", "recent", "comments"))  # noqa: S311
        page = random.choice((1, 1, 1, 2, 3))  # noqa: S311
        self.call("GET", f"/themes/{slug}?sort={sort}&page={page}", "/themes/<slug>")

    @task(6)
    def proposal(self) -> None:
        proposal = random.choice(PLAN["proposals"])  # noqa: S311
        self.call("GET", f"/proposals/{proposal}", "/proposals/<id> [reader]")

    @task(1)
    def plan(self) -> None:
        self.call("GET", "/plan", "/plan")

    @task(1)
    def plan_pdf(self) -> None:
        self.call("GET", "/plan/export.pdf", "/plan/export.pdf")


class Probe(CookieUser):
    """/healthz twice a second, measured under the same load as the pages."""

    fixed_count = 1
    wait_time = constant(0.5)

    @task
    def healthz(self) -> None:
        self.call("GET", "/healthz", "/healthz")


@events.quitting.add_listener
def _write_summary(environment, **_kwargs) -> None:
    with open(PLAN["summary"], "w") as out:
        json.dump(_log, out)
