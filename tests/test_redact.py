"""Redaction: every kind of pasted secret is replaced by its typed placeholder.

Token-shaped test values are assembled at run time (`_t(...)`) so that this file does not
itself look like a leaked credential to secret scanners and push protection.
"""

from __future__ import annotations

import base64
import json
import logging

import pytest

from app.models import Message, Transcript
from app.redact import Finding, RedactingFilter, Redaction, redact_text, redact_transcript


def _t(*parts: str) -> str:
    return "".join(parts)


def _b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


AWS_KEY_ID = _t("AKIA", "Q3EGRT7XZK2VPM4D")
AWS_SECRET = _t("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYzq8Lk3Pt1sWd")
AZURE_KEY = _t(
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu", "Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
PEM_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"
JWT = ".".join(
    [
        _b64url({"alg": "HS256", "typ": "JWT"}),
        _b64url({"sub": "svc-checkout", "exp": 1718000000}),
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ]
)
SLACK_BOT = _t("xoxb-", "2401337420-5551234567890-", "q8ZtWvN3kR7yLm2Pc4Xs9BaD")
SLACK_USER = _t("xoxp-", "2401337420-2401337421-5551234567890-", "4f8c2e6a9b1d3f5e7a9c")
SLACK_HOOK = _t(
    "https://hooks.slack.com/services/", "T024BE7LD/B07QF3H2K9M/", "Qx7vLm2Nc9RtYp4KsWz8AbCd"
)
GITHUB_PAT = _t("ghp_", "R8nX2kLq9ZtW4vPm7YcB3sDf6HjK1aGe5NuQ")
GITHUB_FINE = _t(
    "github_pat_", "11ABCDEFG0aBcDeFgHiJkL_", "mNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuv"
)
STRIPE = _t("sk_", "live_", "51HxQ2kLq9ZtW4vPm7YcB3sDf6HjK1aGe5NuQ8rT2wXy")
OPENAI_PROJ = _t("sk-", "proj-", "Xq7Lm2Nc9RtYp4KsWz8AbCdE", "fGhIjK1mNoPqRsTuVwXyZ012345")
OPENAI_LEGACY = _t("sk-", "Ab3dEf7hIj9kLm1nOp2q", "T3BlbkFJ", "Rs5tUv8wXy0zAb4cDe6f")
NPM = _t("npm_", "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuVwXyZ")
TWILIO_SID = _t("SK", "2f9c4e1a7b3d5f8e0a6c9b2d4f7e1a3c")
TWILIO_TOKEN = _t("9f8e7d6c5b4a3f2e", "1d0c9b8a7f6e5d4c")
SENDGRID = _t("SG.", "nQ3kLq9ZtW4vPm7YcB3sDf", ".", "6HjK1aGe5NuQ8rT2wXyz0AbCdEfGhIjKlMnOpQrStUv")
OPAQUE = _t("tkn_", "8Zq2Lx7Vm4Np1Rk9Ws3Tb6Yd")
HIGH_ENTROPY = _t("q8Zt", "WvN3kR7yLm2Pc4Xs9BaDf6Hj")
GITLAB = _t("glpat-", "AbCdEfGhIjKlMnOpQrSt")
SESSION_TOKEN = _t("IQoJb3JpZ2luX2VjEJr//////////wEaCXVz", "LWVhc3QtMSJHMEUCIQD7k")

# (case id, pasted text, secret that must disappear, placeholder that must appear)
SECRETS: list[tuple[str, str, str, str]] = [
    (
        "aws-key-id-env",
        f"AWS_ACCESS_KEY_ID={AWS_KEY_ID}\nAWS_REGION=us-east-1",
        AWS_KEY_ID,
        "[REDACTED:aws-access-key]",
    ),
    (
        "aws-secret-ini",
        f"[default]\naws_secret_access_key = {AWS_SECRET}\nregion = eu-west-1",
        AWS_SECRET,
        "[REDACTED:aws-secret-key]",
    ),
    (
        "aws-secret-quoted",
        f'boto3.client("s3", aws_secret_access_key="{AWS_SECRET}")',
        AWS_SECRET,
        "[REDACTED:aws-secret-key]",
    ),
    (
        "gcp-service-account",
        json.dumps(
            {
                "type": "service_account",
                "project_id": "acme-prod",
                "private_key": (
                    f"-----BEGIN PRIVATE KEY-----\n{PEM_BODY}\n-----END PRIVATE KEY-----\n"
                ),
                "client_email": "deployer@acme-prod.iam.gserviceaccount.com",
            },
            indent=2,
        ),
        PEM_BODY,
        "[REDACTED:private-key]",
    ),
    (
        "azure-connection-string",
        f"AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acmeprod;"
        f"AccountKey={AZURE_KEY};EndpointSuffix=core.windows.net",
        AZURE_KEY,
        "[REDACTED:azure-storage-key]",
    ),
    (
        "postgres-dsn",
        "DATABASE_URL=postgres://app:Tr0ub4dor-3@db.internal:5432/orders",
        "Tr0ub4dor-3",
        "[REDACTED:password]",
    ),
    (
        "mysql-dsn",
        "jdbc url mysql://root:s3cr3tRoot@mysql-0.mysql:3306/shop?useSSL=false",
        "s3cr3tRoot",
        "[REDACTED:password]",
    ),
    (
        "mongodb-srv",
        "mongodb+srv://svc:Pa55w0rd%21@cluster0.x1y2z.mongodb.net/orders",
        "Pa55w0rd%21",
        "[REDACTED:password]",
    ),
    (
        "redis-no-user",
        "REDIS_URL=redis://:hunter2hunter2@cache.internal:6379/0",
        "hunter2hunter2",
        "[REDACTED:password]",
    ),
    (
        "amqp",
        "amqp://checkout:rabb1tPass@mq.internal:5672/vhost",
        "rabb1tPass",
        "[REDACTED:password]",
    ),
    (
        "https-basic-url",
        "git clone https://deploy:gl0rious-Token@git.internal/acme/checkout.git",
        "gl0rious-Token",
        "[REDACTED:password]",
    ),
    (
        "pgpassword",
        "PGPASSWORD=Xk9pq2vvR psql -h db-primary.internal -U app orders",
        "Xk9pq2vvR",
        "[REDACTED:password]",
    ),
    (
        "docker-run-env",
        "docker run -e POSTGRES_PASSWORD=changeme42 -e API_KEY=k3yV4lue99 acme/api",
        "changeme42",
        "[REDACTED:password]",
    ),
    (
        "docker-run-second-env",
        "docker run -e POSTGRES_PASSWORD=changeme42 -e API_KEY=k3yV4lue99 img",
        "k3yV4lue99",
        "[REDACTED:api-key]",
    ),
    (
        "yaml-k8s-secret",
        "apiVersion: v1\nkind: Secret\ndata:\n  password: cGFzc3dvcmQxMjM=\n",
        "cGFzc3dvcmQxMjM=",
        "[REDACTED:password]",
    ),
    (
        "yaml-spaces",
        "db:\n  host: db.internal\n  password: correct horse battery staple\n",
        "horse battery",
        "[REDACTED:password]",
    ),
    (
        "json-password",
        '{"user": "app", "password": "p@ss w0rd!", "host": "db.internal"}',
        "p@ss w0rd!",
        "[REDACTED:password]",
    ),
    (
        "ini-passwd",
        "[client]\npasswd = M4riaDB!root\nhost = 10.0.3.7",
        "M4riaDB!root",
        "[REDACTED:password]",
    ),
    (
        "dotenv-secret",
        "SECRET_KEY_BASE=9c1f0e7a2b4d6c8e0f1a3b5c7d9e\nRAILS_ENV=production",
        "9c1f0e7a2b4d6c8e0f1a3b5c7d9e",
        "[REDACTED:secret]",
    ),
    (
        "client-secret-yaml",
        "oauth:\n  client_secret: Zr8-Pq3_Lm9wXv2N\n",
        "Zr8-Pq3_Lm9wXv2N",
        "[REDACTED:secret]",
    ),
    ("api-key-yaml", "api_key: 4f7d9e2a1c3b5d8f", "4f7d9e2a1c3b5d8f", "[REDACTED:api-key]"),
    (
        "x-api-key-header",
        "curl -H 'X-Api-Key: ak_live_7Fq2Lx9Vm4Np' https://api.internal/v1",
        "ak_live_7Fq2Lx9Vm4Np",
        "[REDACTED:api-key]",
    ),
    ("token-yaml", f"vault:\n  token: {OPAQUE}\n", OPAQUE, "[REDACTED:token]"),
    ("twilio-auth-token", f"TWILIO_AUTH_TOKEN={TWILIO_TOKEN}", TWILIO_TOKEN, "[REDACTED:token]"),
    ("generic-key-entropy", f"SIGNING_KEY={HIGH_ENTROPY}", HIGH_ENTROPY, "[REDACTED:secret]"),
    (
        "kubectl-from-literal",
        "kubectl create secret generic db --from-literal=password=Sup3r-S3cret -n prod",
        "Sup3r-S3cret",
        "[REDACTED:password]",
    ),
    (
        "helm-set",
        "helm upgrade api ./chart --set db.password=H3lmPass99 --set replicas=3",
        "H3lmPass99",
        "[REDACTED:password]",
    ),
    (
        "cli-flag",
        "vault login --token hvs_Q8zTwvN3kR7yLm2Pc4 -address=https://vault.internal",
        "hvs_Q8zTwvN3kR7yLm2Pc4",
        "[REDACTED:token]",
    ),
    (
        "prose-password",
        "I reset it, the new password is Winter2024! for now",
        "Winter2024!",
        "[REDACTED:password]",
    ),
    (
        "bearer-curl",
        f'curl -H "Authorization: Bearer {OPAQUE}" https://api.internal/orders',
        OPAQUE,
        "[REDACTED:bearer-token]",
    ),
    ("bearer-jwt", f"Authorization: Bearer {JWT}", JWT, "[REDACTED:bearer-token]"),
    (
        "basic-header",
        "Authorization: Basic YWRtaW46aHVudGVyMg==",
        "YWRtaW46aHVudGVyMg==",
        "[REDACTED:basic-auth]",
    ),
    ("bare-bearer", f"the request had bearer {OPAQUE} in it", OPAQUE, "[REDACTED:bearer-token]"),
    (
        "curl-user",
        "curl -u admin:Adm1nPass! https://grafana.internal/api/health",
        "Adm1nPass!",
        "[REDACTED:password]",
    ),
    (
        "redis-cli",
        "redis-cli -h cache.internal -a R3disPass! INFO",
        "R3disPass!",
        "[REDACTED:password]",
    ),
    (
        "jwt-in-log",
        f"2024-06-11 14:02:33 WARN auth rejected token={JWT} reason=expired",
        JWT,
        "[REDACTED:jwt]",
    ),
    (
        "jwt-stack-trace",
        f'  File "auth.py", line 42, in verify\njwt.ExpiredSignatureError: {JWT}',
        JWT,
        "[REDACTED:jwt]",
    ),
    ("slack-bot", f"SLACK_BOT_TOKEN={SLACK_BOT}", SLACK_BOT, "[REDACTED:slack-token]"),
    ("slack-user", f"used {SLACK_USER} to post", SLACK_USER, "[REDACTED:slack-token]"),
    ("slack-webhook", f"webhook: {SLACK_HOOK}", SLACK_HOOK, "[REDACTED:slack-webhook]"),
    (
        "github-classic",
        f"git remote set-url origin https://{GITHUB_PAT}@github.com/acme/api",
        GITHUB_PAT,
        "[REDACTED:github-token]",
    ),
    ("github-fine-grained", f"GH_TOKEN={GITHUB_FINE}", GITHUB_FINE, "[REDACTED:github-token]"),
    ("stripe-live", f"stripe.api_key = '{STRIPE}'", STRIPE, "[REDACTED:stripe-key]"),
    ("openai-project", f"OPENAI_API_KEY={OPENAI_PROJ}", OPENAI_PROJ, "[REDACTED:openai-key]"),
    (
        "openai-legacy",
        f"tried with {OPENAI_LEGACY} and got 429",
        OPENAI_LEGACY,
        "[REDACTED:openai-key]",
    ),
    ("npmrc", f"//registry.npmjs.org/:_authToken={NPM}", NPM, "[REDACTED:npm-token]"),
    ("npm-bare", f"npm token create printed {NPM}", NPM, "[REDACTED:npm-token]"),
    ("twilio-sid", f"twilio api key {TWILIO_SID} leaked", TWILIO_SID, "[REDACTED:twilio-key]"),
    ("sendgrid", f"SENDGRID_API_KEY={SENDGRID}", SENDGRID, "[REDACTED:sendgrid-key]"),
    (
        "k8s-env-name-value",
        'env:\n  - name: DB_PASSWORD\n    value: "Pl4intext!"\n  - name: DB_HOST\n    value: db',
        "Pl4intext!",
        "[REDACTED:password]",
    ),
    (
        "ecs-json-name-value",
        '[{"name": "PAYMENT_TOKEN", "value": "tok_AbC123dEf456GhI789"}, '
        '{"name": "TZ", "value": "UTC"}]',
        "tok_AbC123dEf456GhI789",
        "[REDACTED:token]",
    ),
    (
        "mysql-inline",
        "mysql -h db.internal -u root -pS3cretPw orders",
        "S3cretPw",
        "[REDACTED:password]",
    ),
    (
        "prose-changed-to",
        "the db password was changed to Xyz-12345 yesterday",
        "Xyz-12345",
        "[REDACTED:password]",
    ),
    (
        "gitlab-header",
        f'curl -sS -H "PRIVATE-TOKEN: {GITLAB}" https://gitlab.internal/api/v4',
        GITLAB,
        "[REDACTED:gitlab-token]",
    ),
    (
        "mssql-connection-string",
        "Server=tcp:acme.database.windows.net,1433;User ID=app;Password=Sql!Pass1;Encrypt=True",
        "Sql!Pass1",
        "[REDACTED:password]",
    ),
    (
        "azure-service-bus",
        "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;"
        "SharedAccessKey=abc123DEF456ghi789JKL=",
        "abc123DEF456ghi789JKL=",
        "[REDACTED:azure-storage-key]",
    ),
    ("aws-session-token", f"aws_session_token={SESSION_TOKEN}", SESSION_TOKEN, "[REDACTED:token]"),
    (
        "s3-presigned",
        "https://acme.s3.amazonaws.com/dump.sql?X-Amz-Signature=8f3e9c1d2b4a6f7e",
        "8f3e9c1d2b4a6f7e",
        "[REDACTED:token]",
    ),
]


@pytest.mark.parametrize(
    ("text", "secret", "expected"), [case[1:] for case in SECRETS], ids=[c[0] for c in SECRETS]
)
def test_secret_is_replaced_by_its_placeholder(text: str, secret: str, expected: str) -> None:
    redacted, findings = redact_text(text)

    assert secret not in redacted
    assert expected in redacted
    assert findings
    assert all(secret not in finding.model_dump_json() for finding in findings)


def test_private_key_block_spanning_lines_is_removed_whole() -> None:
    text = (
        "here's the key from the bastion, don't judge\n"
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        f"{PEM_BODY}\n"
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
        "-----END OPENSSH PRIVATE KEY-----\n"
        "it's on 10.0.3.7"
    )

    redacted, findings = redact_text(text)

    assert redacted == (
        "here's the key from the bastion, don't judge\n[REDACTED:private-key]\nit's on 10.0.3.7"
    )
    assert [f.kind for f in findings] == ["private-key"]


def test_truncated_private_key_redacts_to_the_end_of_the_message() -> None:
    text = f"pasted:\n-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n(slack cut it off)"

    redacted, _ = redact_text(text)

    assert redacted == "pasted:\n[REDACTED:private-key]"


@pytest.mark.parametrize(
    ("dsn", "expected"),
    [
        (
            "postgres://app:Tr0ub4dor-3@db.internal:5432/orders",
            "postgres://app:[REDACTED:password]@db.internal:5432/orders",
        ),
        (
            "postgresql://app:p@ss@word@db-primary.us-east-1.rds.amazonaws.com/orders?sslmode=require",
            "postgresql://app:[REDACTED:password]@db-primary.us-east-1.rds.amazonaws.com"
            "/orders?sslmode=require",
        ),
        (
            "mongodb://svc:M0ngoPass@mongo-0.mongo,mongo-1.mongo:27017/orders?replicaSet=rs0",
            "mongodb://svc:[REDACTED:password]@mongo-0.mongo,mongo-1.mongo:27017/orders"
            "?replicaSet=rs0",
        ),
    ],
)
def test_dsn_keeps_scheme_user_host_port_and_database(dsn: str, expected: str) -> None:
    assert redact_text(f"connecting to {dsn} timed out")[0] == f"connecting to {expected} timed out"


def test_dsn_finding_names_the_database_kind() -> None:
    _, findings = redact_text("DATABASE_URL=postgres://app:Tr0ub4dor-3@db.internal:5432/orders")

    assert findings == [
        Finding(kind="postgres-password", message_id=None, placeholder="[REDACTED:password]")
    ]


@pytest.mark.parametrize("text", [case[1] for case in SECRETS], ids=[c[0] for c in SECRETS])
def test_redaction_is_idempotent(text: str) -> None:
    once, _ = redact_text(text)

    twice, findings = redact_text(once)

    assert twice == once
    assert findings == []


def _transcript(*texts: str, author: str = "ravi") -> Transcript:
    messages = [
        Message(id=i, time=f"14:{i:02d}", author=author, text=text, line_start=i, line_end=i)
        for i, text in enumerate(texts, start=1)
    ]
    return Transcript(format="plain", messages=messages)


def test_transcript_findings_carry_message_ids_and_never_the_secret() -> None:
    transcript = _transcript(
        "checkout is throwing 500s since 14:00, 37% of requests",
        f"env from the pod:\nAWS_ACCESS_KEY_ID={AWS_KEY_ID}\n"
        "DATABASE_URL=postgres://app:Tr0ub4dor-3@db.internal:5432/orders",
        "rolled back to 3f9a1c2, recovering",
        f'curl -H "Authorization: Bearer {OPAQUE}" https://api.internal/health',
    )

    redaction = redact_transcript(transcript)

    assert [(f.kind, f.message_id) for f in redaction.findings] == [
        ("aws-access-key", 2),
        ("postgres-password", 2),
        ("bearer-token", 4),
    ]
    dumped = redaction.model_dump_json()
    for secret in (AWS_KEY_ID, "Tr0ub4dor-3", OPAQUE):
        assert secret not in dumped
    assert redaction.transcript.messages[0] == transcript.messages[0]
    assert redaction.transcript.messages[2] == transcript.messages[2]
    assert redaction.transcript.messages[1].time == "14:02"
    assert "db.internal:5432/orders" in redaction.transcript.messages[1].text


def test_summary_lists_kinds_with_message_ids() -> None:
    transcript = _transcript(
        "all fine",
        f"AWS_ACCESS_KEY_ID={AWS_KEY_ID} postgres://app:Tr0ub4dor-3@db.internal/orders",
        f"Authorization: Bearer {OPAQUE}",
    )

    summary = redact_transcript(transcript).summary()

    assert summary == (
        "Redacted 3 secrets before processing: "
        "aws-access-key (m2), postgres-password (m2), bearer-token (m3)"
    )


def test_summary_is_none_when_nothing_was_redacted(seed_chat_text: str) -> None:
    assert Redaction(transcript=_transcript("hello"), findings=[]).summary() is None
    assert redact_transcript(_transcript(*seed_chat_text.split("\n\n"))).summary() is None


def test_secret_repeated_in_another_message_is_redacted_there_too() -> None:
    transcript = _transcript(
        "PGPASSWORD=Xk9pq2vvR psql -h db-primary.internal",
        "tried Xk9pq2vvR again from the bastion, still auth failures",
    )

    redaction = redact_transcript(transcript)

    assert redaction.transcript.messages[1].text == (
        "tried [REDACTED:password] again from the bastion, still auth failures"
    )
    assert [f.message_id for f in redaction.findings] == [1, 2]


def test_author_that_is_a_secret_is_redacted() -> None:
    transcript = _transcript("deploying now", author=SLACK_BOT)

    redaction = redact_transcript(transcript)

    assert redaction.transcript.messages[0].author == "[REDACTED:slack-token]"
    assert redaction.transcript.participants == ["[REDACTED:slack-token]"]


def test_transcript_warnings_are_redacted() -> None:
    transcript = _transcript("ok").model_copy(
        update={"warnings": [f"line 7 has no author: SLACK_BOT_TOKEN={SLACK_BOT}"]}
    )

    redaction = redact_transcript(transcript)

    assert redaction.transcript.warnings == [
        "line 7 has no author: SLACK_BOT_TOKEN=[REDACTED:slack-token]"
    ]


def test_redacting_a_redacted_transcript_changes_nothing() -> None:
    transcript = _transcript(*(case[1] for case in SECRETS))

    once = redact_transcript(transcript)
    twice = redact_transcript(once.transcript)

    assert twice.transcript == once.transcript
    assert twice.findings == []


def _record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("app", logging.ERROR, __file__, 1, msg, args or None, exc_info)


def test_logging_filter_redacts_message_and_args() -> None:
    record = _record("calling %s with %s", "https://api.internal", f"Bearer {OPAQUE}")

    assert RedactingFilter().filter(record) is True

    assert record.getMessage() == "calling https://api.internal with Bearer [REDACTED:bearer-token]"


def test_logging_filter_redacts_exception_text() -> None:
    try:
        raise ConnectionError("could not connect to postgres://app:Tr0ub4dor-3@db.internal/orders")
    except ConnectionError as error:
        record = _record("db down", exc=error)

    RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)

    assert "Tr0ub4dor-3" not in formatted
    assert "postgres://app:[REDACTED:password]@db.internal/orders" in formatted


def test_logging_filter_on_a_handler_keeps_secrets_out_of_output(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("app.test_redact")
    caplog.handler.addFilter(RedactingFilter())

    with caplog.at_level(logging.INFO, logger="app.test_redact"):
        logger.info("settings: %r", {"api_key": "k3yV4lue99", "model": "gpt-4o"})

    assert "k3yV4lue99" not in caplog.text
    assert "'model': 'gpt-4o'" in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        "the api key is Zr8Pq3Lm9wXv2NcT4bYk: see below",
        "API_KEY=Zr8Pq3Lm9wXv2NcT4bYk: v1 of the config",
        "expired_keys: 9921BEGIN EC PRIVATE KEY!');",
        "POSTGRES_PASSWORD=pg-Sup3r!\nnext: [REDACTED:password] stays",
    ],
)
def test_a_placeholder_label_is_not_read_as_a_name(text: str) -> None:
    """`[REDACTED:api-key]: see below` must not make 'see' the value of an api key."""
    once, _ = redact_text(text)

    assert redact_text(once) == (once, [])


def test_redaction_of_spliced_pastes_is_idempotent_and_never_fails() -> None:
    """Pieces of the corpus glued together at random points (a fixed seed): a secret cut in
    two, a name glued to a token, a placeholder next to a keyword. Redacting the result
    again must change nothing, and nothing may raise."""
    import random

    from tests.test_redact_corpus import CLEAN_SNIPPETS, SECRET_SNIPPETS

    texts = [s.text for s in SECRET_SNIPPETS + CLEAN_SNIPPETS]
    rng = random.Random(20240611)
    for _ in range(1_000):
        a, b = rng.choice(texts), rng.choice(texts)
        text = a[: rng.randint(0, len(a))] + b[rng.randint(0, len(b)) :]
        once, _ = redact_text(text)
        assert redact_text(once) == (once, []), text


def test_every_vendor_pattern_has_an_anchor_so_the_prefilter_keeps_its_matches() -> None:
    """`vendor_spans` skips a text holding none of `_ANCHORS`; each pattern must contain one
    (as a piece every match has), or its tokens would be skipped."""
    from app.redact import vendors

    for pattern, kind, _ in vendors._VENDORS:
        assert any(anchor in pattern for anchor in vendors._ANCHORS), kind


def test_any_gate_finds_a_text_exactly_when_one_gate_occurs_in_it() -> None:
    from app.redact.spans import any_gate, mentions

    lists = [("pass", "pw"), ("log", "sign"), ("a.b",)]
    scan = any_gate(lists)
    for text in ("", "password", "the pwd", "blog", "axb", "a.b", "nothing here", "signal"):
        assert bool(scan.search(text)) == any(mentions(text, gates) for gates in lists), text
    with pytest.raises(ValueError):
        any_gate([("pass",), ()])
