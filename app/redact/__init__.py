"""Redaction: secrets pasted into an incident chat never leave the machine.

This step runs right after parsing, before any engine, LLM call, draft, log line or API
answer sees the transcript. Each secret is replaced by a typed, stable placeholder
(`[REDACTED:aws-access-key]`, `[REDACTED:password]`); in URLs and DSNs only the credential
goes (`postgres://app:[REDACTED:password]@db.internal:5432/orders`), since engineers need the
host. Redacting redacted text changes nothing.

Who detects what:

- detect-secrets (Yelp), `library.py`: provider token formats from its plugins' patterns
  (AWS key ids and quoted secret keys, GitHub, GitLab, Slack tokens and webhooks, Stripe live
  keys, SendGrid, Twilio, npm in `.npmrc`, PyPI, Mailchimp, Square, Discord, Telegram,
  IBM/Cloudant/SoftLayer), its JWT structural check, its private-key header list, the secret
  keyword list, Shannon entropy and the UUID/template/sequence heuristics. Its quoted-string
  entropy plugins and IP detector are off: in chat they flag commit SHAs, trace ids and
  addresses, which are evidence.
- `assignments.py`: `name = value` in env/YAML/JSON/INI/CLI form for detect-secrets' keywords
  (and `token`/`credential`/`key` when the value has high entropy), with chat-aware value
  bounds instead of the KeywordDetector's rest-of-line match.
- `patterns.py`: what the library misses or cannot bound: multi-line private-key blocks, URL
  credentials keeping the host, `Authorization`/`Bearer` headers, `curl -u`, query-string
  signatures, OpenAI/Anthropic keys and newer formats (`github_pat_`, `npm_`, `sk-proj-`,
  `sk_test_`, `AIza`, `hvs.`). Patterns are bounded so that pathological pastes stay linear.

A secret value found once is also redacted wherever else it is repeated in the transcript.
`RedactingFilter` applies the same redaction to log records.
"""

from app.redact.logging_filter import RedactingFilter
from app.redact.redactor import Finding, Redaction, redact_text, redact_transcript

__all__ = ["Finding", "RedactingFilter", "Redaction", "redact_text", "redact_transcript"]
