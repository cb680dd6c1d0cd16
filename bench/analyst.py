"""An analyst's session against a running Claimlab, through the REST API only.

Knows only what the export issue promises: a token for the demo manager, a new project over
the demo articles, two annotators who label quotes from their queues, the agreement, the
export read by pandas, and the tokens revoked at the end. Prints each step; exits non-zero at
the first failure.

    .venv/bin/python bench/analyst.py [BASE_URL]      # default http://127.0.0.1:8000

Needs the demo logins of `make run` (manager, annotator1, annotator2; password claimlab-demo).
"""

import argparse
import io
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable

DEMO_PASSWORD = "claimlab-demo"  # noqa: S105 - the documented demo password


class AnalystError(Exception):
    """A step did not do what the issue promises."""


class Api:
    """A JSON client for /api/v1/ with an optional token."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.token = token

    def request(self, method: str, path: str, body=None, expect=(200,)) -> tuple[int, bytes]:
        url = path if path.startswith("http") else self.base + path
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
        request.add_header("Accept", "*/*")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                status, content = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, content = error.code, error.read()
        except urllib.error.URLError as error:
            raise AnalystError(f"{method} {url}: cannot connect ({error.reason})") from None
        if status not in expect:
            raise AnalystError(f"{method} {url} -> {status}, expected {expect}: {content[:500]!r}")
        return status, content

    def json(self, method: str, path: str, body=None, expect=(200,)):
        status, content = self.request(method, path, body, expect)
        return status, (json.loads(content) if content else None)


def analyst_session(base_url: str, *, quotes: int = 4, say: Callable[[str], None] = print) -> dict:
    """Run the session; returns figures of what happened. Raises AnalystError on a failure."""
    anonymous = Api(base_url)

    def token_for(username: str) -> Api:
        _, body = anonymous.json(
            "POST", "auth/token/", {"username": username, "password": DEMO_PASSWORD}
        )
        if not body or not body.get("token") or not body.get("expiry"):
            raise AnalystError(f"no token with its expiry for {username}: {body}")
        return Api(base_url, body["token"])

    manager = token_for("manager")
    say("1. token for the demo manager: ok")

    _, page = manager.json("GET", "articles/?page_size=100")
    articles = [article["id"] for article in page["results"]]
    if not articles:
        raise AnalystError("the manager sees no articles (is the demo loaded?)")
    say(f"2. articles visible to the manager: {len(articles)}")

    name = f"Analyst check {time.strftime('%Y-%m-%d %H:%M:%S')} {time.time_ns() % 10**6}"
    _, project = manager.json(
        "POST",
        "projects/",
        {"name": name, "articles": articles, "annotators_per_quote": 2, "blind_mode": True},
        expect=(201,),
    )
    project_id = project["id"]
    say(f"3. project {project_id} created over {project['article_count']} article(s)")

    for username in ("annotator1", "annotator2"):
        manager.json(
            "POST",
            f"projects/{project_id}/members/",
            {"username": username, "role": "annotator"},
            expect=(201,),
        )
    _, members = manager.json("GET", f"projects/{project_id}/members/")
    roles = {member["username"]: member["role"] for member in members}
    if roles.get("annotator1") != "annotator" or roles.get("annotator2") != "annotator":
        raise AnalystError(f"members are not as added: {roles}")
    say(f"4. members: {roles}")

    _, schema = manager.json("GET", f"projects/{project_id}/schema/")
    choices = {d["key"]: [c["value"] for c in d["choices"]] for d in schema}
    for key in ("stance", "attribution", "sourcing"):
        if not choices.get(key):
            raise AnalystError(f"the label schema lacks {key!r}: {sorted(choices)}")
    say(f"5. label schema: {', '.join(f'{k} ({len(v)})' for k, v in choices.items())}")

    labelled: dict[str, list[int]] = {}
    annotators: list[Api] = []
    for turn, username in enumerate(("annotator1", "annotator2")):
        annotator = token_for(username)
        annotators.append(annotator)
        done = labelled[username] = []
        while len(done) < quotes:
            status, item = annotator.json(
                "GET", f"projects/{project_id}/queue/next/", expect=(200, 204)
            )
            if status == 204:
                break
            quote_id = item["quote"]["id"]
            # The two annotators agree on attribution and sourcing, not always on stance.
            answers = {
                "stance": choices["stance"][(len(done) + turn) % 2],
                "attribution": choices["attribution"][0],
                "sourcing": choices["sourcing"][0],
            }
            _, saved = annotator.json(
                "POST",
                f"projects/{project_id}/labels/",
                {"quote": quote_id, "labels": answers, "note": ""},
            )
            if {row["dimension"] for row in saved} != set(answers):
                raise AnalystError(f"labels not saved as sent for quote {quote_id}: {saved}")
            done.append(quote_id)
        if not done:
            raise AnalystError(f"{username}'s queue was empty")
        say(f"6. {username} labelled {len(done)} quote(s) from the queue")
    both = set(labelled["annotator1"]) & set(labelled["annotator2"])
    if not both:
        raise AnalystError("no quote was labelled by both annotators (k=2)")

    _, agreement = manager.json("GET", f"projects/{project_id}/agreement/")
    alphas = {d["key"]: d["alpha"] for d in agreement["dimensions"]}
    if agreement["quotes_labelled"] < len(both):
        raise AnalystError(f"agreement counts too few quotes: {agreement['quotes_labelled']}")
    say(f"7. agreement on {agreement['quotes_labelled']} quote(s), alpha per dimension: {alphas}")

    import pandas as pd

    _, content = manager.request("GET", f"projects/{project_id}/export/?format=jsonl")
    frame = pd.read_json(io.BytesIO(content), lines=True)
    missing = {"quote_id", "article", "text", "kind", "speaker", "cue", "labels", "gold"} - set(
        frame.columns
    )
    if missing:
        raise AnalystError(f"export lacks columns {sorted(missing)}")
    rows = frame.set_index("quote_id")
    for quote_id in both:
        labels = rows.loc[quote_id, "labels"]
        if len(labels) != 2 or not all(
            name.startswith("annotator-") for name in labels
        ):  # two pseudonymised annotators
            raise AnalystError(f"quote {quote_id} in the export has labels {labels}")
    say(f"8. export read by pandas: {len(frame)} rows, {len(frame.columns)} columns")

    _, content = manager.request("GET", f"projects/{project_id}/export/?format=csv")
    table = pd.read_csv(io.BytesIO(content))
    if len(table) != len(frame):
        raise AnalystError(f"CSV has {len(table)} rows, JSONL {len(frame)}")
    _, card = manager.json("GET", f"projects/{project_id}/export/schema/")
    if card["counts"]["annotators"] != 2:
        raise AnalystError(f"dataset card counts {card['counts']['annotators']} annotators")
    say(f"9. CSV read by pandas ({len(table)} rows); dataset card counts {card['counts']}")

    for annotator in annotators:  # a script done with its token gives it back
        annotator.request("DELETE", "auth/token/", expect=(204,))
        annotator.request("GET", "projects/", expect=(401,))
    _, revoked = manager.json("DELETE", "auth/tokens/")
    manager.request("GET", "projects/", expect=(401,))
    say(f"10. tokens revoked: each annotator's, and the manager's {revoked['revoked']}")
    return {
        "project": project_id,
        "labelled": {name: len(ids) for name, ids in labelled.items()},
        "both": len(both),
        "rows": len(frame),
        "alpha": alphas,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--quotes", type=int, default=4, help="quotes each annotator labels")
    args = parser.parse_args()
    try:
        analyst_session(args.base_url, quotes=args.quotes)
    except AnalystError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
    print("OK: every step did what the issue promises.")


if __name__ == "__main__":
    main()
