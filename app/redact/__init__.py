"""Redaction: secrets pasted into an incident chat never leave the machine.

This step runs right after parsing, before any engine, LLM call, draft, log line or API
answer sees the transcript. Each secret is replaced by a typed, stable placeholder
(`[REDACTED:aws-access-key]`, `[REDACTED:password]`); in URLs and DSNs only the credential
goes (`postgres://app:[REDACTED:password]@db.internal:5432/orders`), since engineers need the
host. Redacting redacted text changes nothing.

Who detects what (on overlap the earlier one names the span, see `redactor._DETECTORS`):

- `private_keys.py`: whole private-key blocks, also base64-encoded (kubeconfig key data);
- `urls.py`: passwords inside URLs and DSNs with any characters (`#`, `/`, `?`, `@`), Go
  MySQL DSNs, and Slack, Discord, Teams, Zapier and Mattermost webhook URLs;
- `headers.py`: `Authorization` headers, bare bearer tokens, session cookies, signature and
  token parameters of query strings;
- `vendors.py`: vendor token formats detect-secrets does not know (Shopify, DigitalOcean,
  Cloudflare, Vercel, Grafana, Sentry, Atlassian, Azure AD client secrets, Google OAuth, ...);
- `library.py` (detect-secrets, Yelp): the formats its plugins know (AWS key ids, GitHub,
  GitLab, Slack, Stripe, SendGrid, Twilio, npm, PyPI, Discord bot, Telegram, ...), its JWT
  check, private-key headers, keyword list, entropy and the UUID/template heuristics (its
  quadratic and cubic patterns are left out or replaced, see the module);
- `assignments.py`: `name = value` in env/YAML/JSON/INI/CLI-flag form for secret-sounding
  names, environment-style `*_AUTH` / `*_TOKEN` / `*_KEY` / `*_SECRET` names, and
  service-account JSON fields (`private_key_id`, `client_secret`);
- `config_files.py`: `.netrc`, `.pgpass`, Docker `config.json`, XML key/value attributes, PHP
  `define`, SQL `IDENTIFIED BY` / `PASSWORD '...'`, stored password hashes, HAProxy;
- `commands.py`: passwords given to tools (`mysql -p'X'`, `docker login -p X`, `sshpass -p`,
  `redis-cli -a`, `sqlcmd -P`, `ldapsearch -w`, `htpasswd -b`, `echo X | ... --password-stdin`,
  `kubectl create secret --from-literal`, ...);
- `cloud.py`: AWS secret access keys and Azure storage keys pasted bare, where the text is
  about that cloud's credentials;
- `prose.py`: passwords and secrets stated in sentences ("the password for root is X", "admin
  pw on grafana is X", "log in with ops@example.com / X"), judged by `values.py`.

A secret value found once is also redacted wherever else it is repeated in the transcript
(`echo.py`, linear in the text). `logging_filter.py` applies the same redaction to every log
record of the process. Every pattern is linear on any input (possessive or bounded repeats,
anchored starts), which `tests/test_redact_linear.py` checks.
"""

from app.redact.logging_filter import RedactingFilter, install_log_redaction
from app.redact.redactor import Finding, Redaction, redact_text, redact_transcript

__all__ = [
    "Finding",
    "RedactingFilter",
    "Redaction",
    "install_log_redaction",
    "redact_text",
    "redact_transcript",
]
