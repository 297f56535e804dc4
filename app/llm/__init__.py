"""Everything that talks to an OpenAI-compatible LLM, behind one seam.

- `client`: the one factory that builds the SDK client from settings (SDK retries off).
- `prompt`: the numbered transcript and the chat messages, rendered from `prompts/extract_*.j2`.
- `answer`: parsing and validating an answer, the errors quoted back on re-ask, and salvage.
- `retry`: transient faults (timeouts, 429, 5xx) retried with backoff under a time budget.
- `failures`: SDK exceptions and bad completions mapped to domain errors with a clear fix.
- `cache`: validated extractions kept in memory, so the second audience costs no call.
- `readiness`: the probe behind GET /readyz.

`app.engines.llm.LLMEngine` puts these together.
"""
