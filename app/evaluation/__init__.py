"""The eval suite: how good are the drafts, per engine, on sample incidents with gold answers.

Data flows one way: `gold` (load incidents) -> `runner` (draft both audiences per engine, with
`recording` for reproducible LLM runs) -> `metrics`/`scores` (compare with the gold) ->
`thresholds` (pass or fail) -> `report` (table, JSON/Markdown files, README block). `command` is
the `postmortem eval` subcommand. Tests prove the code correct; this measures draft quality.
"""
