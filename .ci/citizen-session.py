"""Registers a citizen on a running gateway, confirms the account with the token of the
confirmation e-mail (read from the outbox of the SQLite store), signs in, and prints the
session token. For .ci/fuzz-api."""

import json
import re
import sqlite3
import sys
import urllib.request

base, store = sys.argv[1], sys.argv[2]
email, password = "fuzz@example.tn", "correct horse battery staple"


def post(path, body):
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


post("/api/v1/auth/register", {"email": email, "password": password, "language": "fr"})
with sqlite3.connect(store) as db:
    (message,) = db.execute(
        "SELECT message FROM outbox WHERE destination = ? ORDER BY created_at DESC LIMIT 1",
        (email,),
    ).fetchone()
token = re.search(r"token=([A-Za-z0-9_-]+)", json.loads(message)["text"]).group(1)
post("/api/v1/auth/confirm", {"token": token})
print(post("/api/v1/auth/login", {"email": email, "password": password})["token"])
