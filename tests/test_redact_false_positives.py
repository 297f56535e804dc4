"""Redaction must leave ordinary incident content alone: false positives destroy evidence."""

from __future__ import annotations

import time

import pytest

from app.redact import redact_text

UNCHANGED: list[tuple[str, str]] = [
    ("times", "alerts fired at 14:02:33 UTC, paged at 2:05 PM, resolved 14:47"),
    ("percentages", "error rate 37.5% (p99 1.5s), 4xx ratio 3:1, 99.95% SLO burned"),
    ("hostnames", "db-primary.us-east-1.rds.amazonaws.com and payment-gateway.internal:8443"),
    ("services", "checkout-service, catalog-service and user-service are fine"),
    ("short-sha", "rolled back to 3f9a1c2 (was 8e0d4b7)"),
    ("full-sha", "deployed 9fceb02d0ae598e95dc970b74767f19372d61af8 at 14:00"),
    ("quoted-sha", 'revision: "9fceb02d0ae598e95dc970b74767f19372d61af8"'),
    ("build-ids", "build 2024.06.11-1532, image acme/checkout:v1.42.0-rc3, helm chart 0.9.12"),
    (
        "image-digest",
        "image: acme/checkout@sha256:4d7c1e8f2a9b3c6d5e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b",
    ),
    ("request-uuid", "request_id=7c9e6679-7425-40de-944b-e07fc1f90ae7 returned 502"),
    ("trace-id", "trace_id: 4bf92f3577b34da6a3ce929d0e0e4736 span_id: 00f067aa0ba902b7"),
    ("idempotency-key", "idempotency_key=7c9e6679-7425-40de-944b-e07fc1f90ae7 was replayed"),
    (
        "pg-auth-error",
        'psycopg2.OperationalError: FATAL:  password authentication failed for user "app"',
    ),
    ("mysql-denied", "Access denied for user 'app'@'10.0.3.7' (using password: YES)"),
    ("keyerror", "KeyError: 'api_key'\n  File \"settings.py\", line 12, in load"),
    ("slack-mentions", "<@U024BE7LH> <!here> see <#C024BE7LR|incidents> and <!subteam^S0614TZR7>"),
    ("url-no-creds", "https://grafana.internal/d/abc123/checkout?orgId=1&from=now-6h&to=now"),
    ("url-user-only", "ssh deploy@10.0.3.7 and git@github.com:acme/checkout.git"),
    ("emails", "ping alice@example.com or oncall+payments@acme.io"),
    ("pod-names", "checkout-7f9c8d-abcde CrashLoopBackOff, restarted checkout-7f9c8d-x2x9q"),
    ("sk-pod", "sk-worker-7f9c8d4b6-x2x9qabcdefghijklmnopqrstu is OOMKilled"),
    ("ips", "10.0.3.7 -> 52.94.236.248:443 timed out"),
    ("kubectl-get-secret", "kubectl get secret db-creds -n prod -o yaml"),
    (
        "secret-refs",
        "env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n"
        "      name: db-creds\n      key: password\n",
    ),
    ("secret-name", "tls:\n  - hosts: [shop.acme.io]\n    secretName: shop-tls\n"),
    ("kind-secret", "kind: Secret\ntype: Opaque"),
    ("describe-secret", "Data\n====\npassword:  16 bytes\nusername:  3 bytes"),
    ("password-settings", "password_min_length: 12\npassword_file: /run/secrets/db\ntoken_ttl: 1h"),
    ("llm-usage", "max_tokens: 4096, prompt_tokens: 1532, completion_tokens=311"),
    ("prose-secrets", "Secrets: we rotated them at 14:00 after the leak"),
    ("prose-password", "Password: reset it from the console, then retry"),
    ("prose-expired", "the password is expired for svc-checkout, token expired at 14:05"),
    ("prose-bearer", "Bearer tokens were rejected with 401 by the gateway"),
    ("templated", "DB_PASSWORD=${DB_PASSWORD}\napi_key: {{ .Values.apiKey }}\ntoken=$VAULT_TOKEN"),
    ("placeholders", "password: <your-password>\nsecret = null\nAPI_KEY="),
    ("indirect", "password = get_secret('db')\ntoken = os.environ['TOKEN']"),
    ("pwd-env", "PWD=/srv/app\nOLDPWD=/root\nHOSTNAME=checkout-7f9c8d-abcde"),
    ("cache-key", "cache_key: orders-v2-eu-west-1"),
    ("cli-password-file", "pg_dump --password-file /run/secrets/pg --host db.internal"),
    ("key-value-prose", "the key thing: rollback first, debug after"),
    (
        "stack-trace",
        'Traceback (most recent call last):\n  File "/app/pay.py", line 88, in charge\n'
        "    resp = client.post(url, timeout=3)\n"
        "requests.exceptions.ConnectTimeout: HTTPSConnectionPool(host='payment-gateway.internal', "
        "port=443)",
    ),
    (
        "version-assignments",
        "GIT_COMMIT=9fceb02d0ae598e95dc970b74767f19372d61af8\nBUILD_ID=20240611.3",
    ),
]


@pytest.mark.parametrize("text", [c[1] for c in UNCHANGED], ids=[c[0] for c in UNCHANGED])
def test_ordinary_incident_content_is_unchanged(text: str) -> None:
    redacted, findings = redact_text(text)

    assert redacted == text
    assert findings == []


def test_seed_chat_is_unchanged(seed_chat_text: str) -> None:
    assert redact_text(seed_chat_text) == (seed_chat_text, [])


def test_secret_in_a_line_leaves_the_rest_of_the_line() -> None:
    text = (
        "14:02 ravi: PGPASSWORD=Xk9pq2vvR psql -h db-primary.internal -c 'select 1' -> 37% errors"
    )

    redacted, _ = redact_text(text)

    assert redacted == (
        "14:02 ravi: PGPASSWORD=[REDACTED:password] psql -h db-primary.internal "
        "-c 'select 1' -> 37% errors"
    )


@pytest.mark.parametrize("fragment", ["secret_key_", "AKIA", "redis-cli ", "eyJ", "sk-", "?key="])
def test_pathological_pastes_are_redacted_in_linear_time(fragment: str) -> None:
    """A long line of repeated prefixes once took tens of seconds (quadratic backtracking):
    8x the text must take about 8x the CPU time, not 64x (a ratio, not an absolute time)."""

    def cpu_seconds(size: int) -> float:
        text = fragment * (size // len(fragment))
        best = float("inf")
        for _ in range(3):
            started = time.thread_time()
            redact_text(text)
            best = min(best, time.thread_time() - started)
        return best

    ratio = cpu_seconds(40_000) / max(cpu_seconds(5_000), 1e-6)
    assert ratio < 24, f"8x the input took {ratio:.0f}x the time"
