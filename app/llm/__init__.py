"""Everything that talks to an OpenAI-compatible LLM, behind one seam.

- `structured`: the seam, `ask_structured`: messages and a response spec in, a validated model
  and usage out; re-ask, retries, one deadline and error mapping inside.
- `chat`: the model behind the seam (`OpenAIChatModel`; `FunctionChatModel` for tests).
- `reader`: the raw 200 body read into a checked `Completion`, or a clear `MalformedCompletion`.
- `client`: the one factory for SDK clients and endpoints (SDK retries off; the judge's own).
- `endpoint`: an endpoint as the seam uses it, named without credentials; upstream text scrubbed.
- `retry`, `progress`: transient faults retried under the deadline; how far a request got.
- `failures`: SDK exceptions and bad completions mapped to domain errors with a clear fix.
- `prompt`, `answer`: the extraction prompt (`prompts/extract_*.j2`), JSON reading and salvage.
- `repair`, `review`: repair instead of drop, and the judge-repair-verify pass after extraction.
- `cache`: validated extractions and repairs kept in memory (the second audience costs no call).
- `readiness`: the cached probe behind GET /readyz.

`app.engines.llm.LLMEngine` extracts with these; `app.llm.review` verifies and repairs.
"""
