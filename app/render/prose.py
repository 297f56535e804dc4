"""Prose rules shared by both drafts: no chat debris, no Markdown injected by chat text, and the
chat's own voice shown as a quote.

- `clean_text`: one line, without the clutter a copy-paste brings along ("(edited)", reaction
  counts such as ":+1: 3" or "👍 2", "3 replies", "View thread").
- `inline_markdown` / `table_cell`: chat-derived text placed in Markdown cannot start a heading,
  list, quote or table of its own.
- `speaks_as_chat`: text that is a chat statement (copied word for word from a cited message).
  The engineering draft quotes such text, with the time it was posted, instead of presenting it
  in its own third-person voice. Text in the first person that no cited message says word for
  word is not a quote (quoting it would put words in the chat's mouth): `third_person` restates
  it ("we rolled back" -> "the team rolled back", "I merged" -> "the responder merged").

Every pattern is linear on any input (possessive repeats, no nested unbounded groups).
"""

from __future__ import annotations

import re

from app.models import Transcript, hhmm
from app.render.personal import mask_personal_data

# Copy-paste clutter: edit markers, thread footers, reactions (":+1: 3", "👍 2", a bare
# ":eyes:" or emoji). A count after a reaction goes with it only at the end of the text or
# before another reaction, so "⚠️ 3 services down" keeps its figure.
_EMOJI = r"[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?+"
_REACTION = rf"(?:(?<![\w:]):[a-z0-9_+-]{{1,40}}+:|{_EMOJI})"
_DEBRIS = re.compile(
    r"\(edited\)"
    r"|\bView (?:thread|reply|replies)\b"
    r"|\b\d{1,4}+ (?:new )?repl(?:y|ies)\b"
    r"|\bLast reply (?:today|yesterday|\d{1,3}+ (?:minutes?|hours?|days?) ago)\b"
    rf"|{_REACTION} ?[x×]?\d{{1,4}}+(?=\s*+(?:$|{_REACTION}))"
    rf"|{_REACTION}",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s++")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<! ) ++(?=[.,;:!?])")  # from a run's first space only
# What would start a Markdown block if it began a line: headings, quotes, lists, tables, rules.
_BLOCK_START = re.compile(r"^(?:#{1,6}+(?=\s|$)|>|[-+*](?=\s)|\d{1,9}+[.)](?=\s)|\||={3,}+|-{3,}+)")
# "I/O", "us.gcr.io", "my.cnf" hold no pronoun: a slash, a hyphen or a dot joining a form to
# more word keeps it a part of something else.
_FIRST_PERSON = re.compile(
    r"(?<![\w'’/.-])(?:I(?:['’](?:m|ve|ll|d))?|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself"
    r"|[Ww]e(?:['’](?:re|ve|ll|d))?|[Oo]ur|[Oo]urs|us|[Oo]urselves)(?![\w'’/-]|\.\w)"
)
_FIRST_SINGULAR = re.compile(
    r"(?<![\w'’/.-])(?:I(?:['’](?:m|ve|ll|d))?|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)(?![\w'’/-]|\.\w)"
)
_NOT_WORD = re.compile(r"[^\w]++")
_LABEL = re.compile(r"^(?P<label>[A-Z][A-Za-z /-]{1,30}+):[ \t]++(?=\S)")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def clean_text(text: str) -> str:
    """`text` on one line, chat debris removed."""
    text = _DEBRIS.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" ·")
    return _SPACE_BEFORE_PUNCT.sub("", text)


def printed_text(text: str) -> str:
    """Cleaned text as a draft prints it: customer personal data masked (`personal`)."""
    return mask_personal_data(clean_text(text))


def inline_markdown(text: str) -> str:
    """Cleaned text that cannot open a Markdown block when it starts a line, nor a table."""
    text = printed_text(text).replace("|", "\\|")
    if _BLOCK_START.match(text):
        return "\\" + text
    return text


def table_cell(text: str) -> str:
    """Cleaned text safe inside a Markdown table cell."""
    return printed_text(text).replace("|", "\\|")


# "Phase I", "World War I", "Type I error": a capital I after a word that counts a series, or
# after a capitalised word in mid-sentence (a name's part), is a roman numeral, not a pronoun.
_SERIES_WORDS = frozenset(
    "phase part type tier war stage level class grade chapter volume act book season episode "
    "step round wave gen generation mark series version release edition category pillar "
    "section article schedule appendix annex priority sev severity".split()
)
_DETERMINERS = frozenset({"the", "a", "an", "of", "in", "from"})
_WORD_BEFORE = re.compile(r"(?P<word>[A-Za-z][A-Za-z'’-]{0,40}+)[ \t]++\Z")
_CLAUSE_END = re.compile(r"(?:\A|[.!?:;\n(\[“\"]|\s-)[ \t]*+\Z")


def numeral_i(text: str, start: int) -> bool:
    """The capital "I" at `start` of `text` is a roman numeral ("Phase I", "World War I")."""
    before = text[max(0, start - 60) : start]
    word = _WORD_BEFORE.search(before)
    if word is None or not word["word"][:1].isupper():
        return False
    if word["word"].lower() in _SERIES_WORDS:
        return True
    # A name's part: "the Henry I statue", "in Super Bowl I" (a capitalised word after a
    # determiner or after another capitalised word in mid-sentence); "ping Ravi I restarted"
    # and "Then I restarted" keep their pronoun.
    rest = before[: word.start()]
    previous = _WORD_BEFORE.search(rest)
    if previous is None:
        return False
    if previous["word"].lower() in _DETERMINERS:
        return True
    return previous["word"][:1].isupper() and _CLAUSE_END.search(rest[: previous.start()]) is None


def _pronouns(pattern: re.Pattern[str], text: str) -> bool:
    return any(
        not (m.group(0) == "I" and numeral_i(text, m.start())) for m in pattern.finditer(text)
    )


def first_person(text: str) -> bool:
    """Written in the first person ("I merged", "we rolled back", "our config")."""
    return _pronouns(_FIRST_PERSON, text)


def first_person_singular(text: str) -> bool:
    """Written as one person ("I", "my"): never the voice of a stakeholder email."""
    return _pronouns(_FIRST_SINGULAR, text)


def _normalised(text: str) -> str:
    return _NOT_WORD.sub(" ", text.translate(_QUOTE_CHARS).lower()).strip()


def split_label(text: str) -> tuple[str, str]:
    """A leading 'Label: ' (as in 'Root cause: ...') and the rest."""
    match = _LABEL.match(text)
    if match is None:
        return "", text
    return text[: match.end()], text[match.end() :]


# Where a text's sentences end, for a quote taken sentence by sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]++")


def quoted_from(text: str, evidence: list[int], transcript: Transcript) -> int | None:
    """The id of the cited message `text` is copied from word for word, if any: whole, or
    sentence by sentence in the message's order, each sentence one of the message's or its end
    (an extract that drops a leading connective: "... values. The service is ..." from "...
    values. So the service is ..."), two words or more each."""
    wanted = _normalised(text)
    if len(wanted.split()) < 2:
        return None
    sentences = [n for part in _SENTENCE_END.split(text) if (n := _normalised(part))]
    for message_id in evidence:
        message = transcript.message(message_id)
        if message is None:
            continue
        if len(sentences) > 1:  # sentence by sentence: "I am not sure. It fixed it." is no
            if _sentence_by_sentence(sentences, message.text):  # quote of "not sure it fixed it"
                return message_id
        elif f" {wanted} " in f" {_normalised(message.text)} ":
            return message_id
    return None


def _sentence_by_sentence(sentences: list[str], said: str) -> bool:
    """Every sentence (two words or more) is a sentence of `said`, or the end of one, in
    order: "I am not sure." is not taken out of "I am not sure the rollback fixed it"."""
    theirs = [n for part in _SENTENCE_END.split(said) if (n := _normalised(part))]
    index = 0
    for sentence in sentences:
        if len(sentence.split()) < 2:
            return False
        while index < len(theirs) and not (
            theirs[index] == sentence or theirs[index].endswith(f" {sentence}")
        ):
            index += 1
        if index == len(theirs):
            return False
        index += 1
    return True


def speaks_as_chat(text: str, evidence: list[int], transcript: Transcript) -> int | None:
    """The message whose voice `text` is in: the cited message it is copied from word for word.
    None when the text is the draft's own (first-person text included: see `third_person`)."""
    return quoted_from(text, evidence, transcript)


# First-person forms and their third-person restatement: the team for "we", the responder (the
# one who wrote the cited message, unnamed: blameless) for "I". Forms with their verb come first
# so the verb agrees ("we're" -> "the team is"). "us" only in lower case ("US" is a country).
_THIRD_PERSON = {
    "we're": "the team is",
    "we've": "the team has",
    "we'll": "the team will",
    "we'd": "the team would",
    "we are": "the team is",
    "we were": "the team was",
    "we have": "the team has",
    "we do": "the team does",
    "we don't": "the team doesn't",
    "we aren't": "the team isn't",
    "we weren't": "the team wasn't",
    "we haven't": "the team hasn't",
    "we": "the team",
    "us": "the team",
    "our": "the team's",
    "ours": "the team's",
    "ourselves": "the team",
    "i'm": "the responder is",
    "i've": "the responder has",
    "i'll": "the responder will",
    "i'd": "the responder would",
    "i am": "the responder is",
    "i was": "the responder was",
    "i have": "the responder has",
    "i do": "the responder does",
    "i don't": "the responder doesn't",
    "i haven't": "the responder hasn't",
    "i": "the responder",
    "me": "the responder",
    "my": "the responder's",
    "mine": "the responder's",
    "myself": "the responder",
}
# A question puts the verb first: "Are we sure?" -> "Is the team sure?".
_INVERTED = {
    "are": "is",
    "were": "was",
    "have": "has",
    "do": "does",
    "am": "is",
    "was": "was",
    "aren't": "isn't",
    "weren't": "wasn't",
    "haven't": "hasn't",
    "don't": "doesn't",
}
# Verbs a chat writes after "we"/"I" in the present tense; after "the team"/"the responder"
# they take an -s ("we need" -> "the team needs"). An adverb may stand between ("we still need").
_AGREEING_VERBS = (
    "need|see|think|know|want|expect|plan|agree|suspect|believe|guess|hope|try|get|go|make"
    "|take|keep|use|lose|run|own|miss|lack|confirm|feel|mean|say|seem|look|understand|assume"
    "|recommend|prefer|suggest|propose|require|rely|depend|wonder|remember|forget|check"
    "|monitor|support|handle|continue|decide|consider|intend|see|care|send|ship|owe|track"
)
_ADVERBS = "still|also|just|really|only|now|probably|already|never|always|often|actually"
_FIRST_PERSON_FORM = re.compile(
    r"(?<![\w'’/.-])(?:[Ww]e['’](?:re|ve|ll|d)|I['’](?:m|ve|ll|d)"
    r"|[Ww]e[ \t]++(?:are|were|have|do|don['’]t|aren['’]t|weren['’]t|haven['’]t)"
    r"|I[ \t]++(?:am|was|have|do|don['’]t|haven['’]t)"
    r"|(?:[Aa]re|[Ww]ere|[Hh]ave|[Dd]o|[Aa]ren['’]t|[Ww]eren['’]t|[Hh]aven['’]t|[Dd]on['’]t)"
    r"[ \t]++we"
    r"|(?:[Aa]m|[Ww]as|[Hh]ave|[Dd]o|[Hh]aven['’]t|[Dd]on['’]t)[ \t]++I"
    rf"|(?:[Ww]e|I)(?:[ \t]++(?:{_ADVERBS}))?[ \t]++(?:{_AGREEING_VERBS})"
    r"|[Ww]e|I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Oo]ur|[Oo]urs|us|[Oo]urselves)(?![\w'’/-]|\.\w)"
)


def _third_singular(verb: str) -> str:
    """ "need" -> "needs", "try" -> "tries", "go" -> "goes", "miss" -> "misses"."""
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _restated(form: str) -> str:
    """The third-person words for one first-person form (lower case, single spaces)."""
    words = form.split(" ")
    if len(words) == 2 and words[1] in ("we", "i") and words[0] in _INVERTED:
        verb = _INVERTED[words[0]]
        return f"{verb} {'the team' if words[1] == 'we' else 'the responder'}"
    if len(words) >= 2 and words[0] in ("we", "i") and form not in _THIRD_PERSON:
        subject = "the team" if words[0] == "we" else "the responder"
        return " ".join([subject, *words[1:-1], _third_singular(words[-1])])
    return _THIRD_PERSON.get(form, form)


# What a restatement leaves alone: quoted words (someone else's voice) and code spans.
# (an opening quote never spans another opening one, so every start scans a disjoint stretch)
_KEPT_SPANS = re.compile(r"“[^”“\n]*+”|\"[^\"\n]*+\"|`[^`\n]*+`")
_SENTENCE_START = re.compile(r"(?:^|[.!?][ \t]++)$")


def third_person(text: str) -> str:
    """`text` with its first-person words restated in the third person; quoted words and code
    spans are left as written."""

    def restate(match: re.Match[str]) -> str:
        said = match.group(0)
        start = match.start()
        if said.endswith("I") and numeral_i(piece, start + len(said) - 1):
            return said  # "Phase I", "Do World War I ...": a numeral, not a pronoun
        form = " ".join(said.replace("’", "'").lower().split())
        words = _restated(form)
        if said[:1].isupper() and words[:1].islower() and not said.startswith("I"):
            words = words[0].upper() + words[1:]  # "Are we" -> "Is the team"
        if _SENTENCE_START.search(piece[max(0, start - 4) : start]):
            words = words[0].upper() + words[1:]
        return words

    out: list[str] = []
    position = 0
    for kept in [*_KEPT_SPANS.finditer(text), None]:
        end = kept.start() if kept is not None else len(text)
        piece = text[position:end]
        out.append(_FIRST_PERSON_FORM.sub(restate, piece))
        if kept is not None:
            out.append(kept.group(0))
            position = kept.end()
    return "".join(out)


def posted_at(message_id: int, transcript: Transcript) -> str | None:
    """'09:17' for a message with a time."""
    message = transcript.message(message_id)
    if message is None or message.time is None:
        return None
    return hhmm(message.time)


def as_quote(text: str) -> str:
    """Text in typographic quotes; inner double quotes become single ones."""
    inner = text.replace("“", "‘").replace("”", "’").replace('"', "'")
    return f"“{inner}”"
