"""Messages written to a bot, not to the people in the chat, are set aside.

Only a message that addresses a bot by name ("AI: ...", "@summary-bot, ...", "note to the AI
summarizer: ...") and carries an instruction ("ignore", "write that", "do not mention") is set
aside: it is chat content, never an instruction and never a fact. Everything else is content,
however it is worded: "ignore the previous alert, the real cause is the expired cert" is a
correction between people, and "in the postmortem we should mention the runbook gap" is a
follow-up. The engine reports what it set aside as warnings.
"""

from __future__ import annotations

from app.engines.extractive.cues import family

_BOT = (
    r"(?:ai|a\.i\.|bot|[\w-]{1,30}?[-_ ]bot|assistant|summari[sz]er|summary[- ]?bot|"
    r"postmortem[- ]?bot|gpt|chatgpt|claude|copilot|gemini|llm|language model)"
)
BOT_ADDRESS = family(
    "bot_address",
    "a bot addressed by name: 'AI: ...', '@summary-bot, ...', 'note to the AI summarizer'",
    rf"^\W{{0,3}}+@?(?:the\s)?{_BOT}\b(?:\s(?:summari[sz]er|assistant))?\s{{0,3}}+[:,—–-]|"
    rf"(?:\b(?:dear|hey|hi|note (?:to|for)(?: the| any)?|message (?:to|for)(?: the| any)?|"
    rf"attention|instructions? (?:to|for)(?: the| any)?|to the|for the)\s{{1,3}}+|@)"
    rf"(?:ai\s|automated\s)?{_BOT}\b|\b(?:you are|act as) (?:an? )?(?:ai|assistant|"
    rf"language model|summari[sz]er)\b",
)
INSTRUCTION = family(
    "instruction",
    "an instruction about what to write: ignore the above, write that, do not mention, omit",
    r"\b(?:ignore|disregard|forget)\b[^.!?]{0,40}?\b(?:above|previous|prior|earlier|"
    r"instructions?|conversation|everything|all|chat|messages?|rest|context)\b|\bpretend\b|"
    r"\b(?:write|say|state|claim|conclude|record|list|call)\b|\bwhen you (?:write|summari[sz]e|"
    r"draft|generate|produce)\b|\b(?:do not|don'?t|never) (?:mention|say|write|include|report|"
    r"list|name)\b|\bsummari[sz]e\b|\b(?:leave|keep) out\b|\bomit\b|\bblame\b|"
    r"\battribute\b|\byour (?:summary|report|postmortem|draft|output|answer)\b",
)


def addresses_bot(text: str) -> bool:
    """True when a message addresses a bot by name and tells it what to do."""
    lower = text.lower()
    return BOT_ADDRESS(lower) and INSTRUCTION(lower)
