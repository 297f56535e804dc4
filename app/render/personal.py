"""Customer personal data quoted in the chat never reaches a draft's prose verbatim: street
addresses, "c/o" names, e-mail addresses, phone numbers and order, account or customer numbers.
A postmortem needs to say that a customer's address was involved, not which one.

`mask_personal_data` marks what it removes the way the redactor marks secrets
(`[REDACTED:customer-address]`), so a reader sees that something was there; `plain=True` writes
plain words instead ("a customer's address"), for the stakeholder email. A quoted span that holds
an address or a "c/o" name goes as a whole (the rest of an address line is personal too). The
shapes are general, never a string from one chat: a house number after a street word ("Hauptstraße
12", "Berliner Str. 5"), a number before one ("221 Baker Street"), a German street named with a
preposition ("Am Alten Markt 17"), "c/o" and a name, an e-mail address, an international ("+49 170
1234567") or North American ("(415) 555-0100") phone number, the number after "order", "account",
"customer" or "invoice" ("order 4471-20931", "Bestellung 1234567"). What only looks like one
stays: a number followed by ":30" or ".03" (a clock time or a date, "Am Montag 14:30"), a "+0000"
UTC offset (no country code starts with 0), an ISO date or a rate ("orders 2026-03-14", "orders
500-1000 per minute"), a numbered unit after a preposition ("Im Cluster 3", "Im Jahr 2024").
Every pattern is linear (possessive or bounded repeats).
"""

from __future__ import annotations

import re

# a house number; one followed by ":30" or ".03" is a clock time or a date ("Am Montag 14:30")
_HOUSE = r"\d{1,5}+[a-z]?(?![\w-]|[:.]\d)"
_ADDRESS = re.compile(
    r"(?<![\w-])[A-ZÄÖÜ][a-zäöüß-]{0,30}?(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer)"
    rf"[ \t]*+{_HOUSE}"
    r"|(?<![\w-])(?:[A-ZÄÖÜ][a-zäöüß-]{1,30}+[ \t]++)?(?:Straße|Strasse|Str\.|Weg|Gasse|Platz"
    rf"|Allee)[ \t]*+{_HOUSE}"
    r"|(?<![\w,.:-])\d{1,5}+[A-Z]?[ \t]++(?:[A-Z][a-z]{1,30}+[ \t]++){1,3}?(?:Street|St|Avenue"
    r"|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Terrace|Crescent)(?![\w-])"
    r"|(?<![\w-])(?:Am|Im|Zum|Zur|An[ \t]der|An[ \t]den|Auf[ \t]der|In[ \t]der)[ \t]++"
    rf"(?:[A-ZÄÖÜ][a-zäöüß-]{{1,30}}+[ \t]++){{1,3}}+{_HOUSE}"
)
# After "Im", "Am", "In der" a capitalised noun and a number read as a street ("Am Alten Markt
# 17") unless the noun names a numbered unit: a part of a system ("Im Cluster 3", "Auf dem
# Knoten 4"), a step or stage of work ("In der Phase 2", "Im Schritt 3"), a span of time ("Im
# Jahr 2024", "In der Woche 12") or a part of a text ("Im Kapitel 5"). German writes every noun
# with a capital, so the number is an index, not a house number.
_NUMBERED_UNITS = frozenset(
    "cluster knoten node nodes rack zone region server shard pod partition instanz instance "
    "replikat replica broker worker slot port kanal segment subnetz netz vlan bereich "
    "rechenzentrum standort gebäude raum etage stock ebene level "
    "version release build sprint batch lauf durchlauf welle runde schritt stufe phase test "
    "fall szenario ticket team punkt kapitel abschnitt seite zeile spalte tabelle "
    "jahr quartal monat woche tag stunde minute sekunde".split()
)
_PREPOSITION_START = re.compile(
    r"(?:Am|Im|Zum|Zur|An[ \t]der|An[ \t]den|Auf[ \t]der|In[ \t]der)[ \t]"
)
_LAST_WORD = re.compile(r"(?P<word>[A-ZÄÖÜ][a-zäöüß-]{1,30}+)[ \t]++\d")


def _is_address(match: re.Match[str]) -> bool:
    """An `_ADDRESS` match that is a street, not a numbered unit after a preposition."""
    text = match.group(0)
    if not _PREPOSITION_START.match(text):
        return True
    last = _LAST_WORD.search(text)
    return last is None or last["word"].lower() not in _NUMBERED_UNITS


_CARE_OF = re.compile(
    r"(?<!\w)c/o[ \t]++[A-ZÄÖÜ][\wäöüß'’-]{0,40}+(?:[ \t]++[A-ZÄÖÜ][\wäöüß'’-]{0,40}+)?+"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}+@[A-Za-z0-9-]{1,63}+(?:\.[A-Za-z0-9-]{1,63}+)++")
_PHONE = re.compile(
    r"(?<![\w+])\+[1-9]\d{0,2}+(?:[ .-]?+\(?+\d{1,5}+\)?+){2,5}+(?!\w)"
    r"|(?<![\w(])\(\d{3}\)[ \t]?+\d{3}[-. ]\d{4}(?!\w)"
    r"|(?<![\w-])\d{3}-\d{3}-\d{4}(?![\w-])"
)
_RECORD = re.compile(
    r"(?P<label>(?<!\w)(?:[Oo]rders?|[Bb]estellung(?:en)?+|[Aa]uftrag|[Cc]ustomers?|[Aa]ccounts?"
    r"|[Ii]nvoices?|[Kk]unden?+)(?:[ \t]++(?:[Nn]o\.?+|[Nn]umber|[Nn]r\.?+|I[Dd]|id))?+"
    r"[ \t]*+:?+[ \t]*+#?+)(?!(?:19|20)\d\d-(?:0[1-9]|1[0-2])(?![\d]))"  # not a date
    r"(?P<id>\d{2,12}+(?:-\d{2,12}+){1,3}+|\d{6,14}+)(?![\w-]|[ \t]?+(?:%|per(?:cent)?+\b|/\w))"
)
_QUOTED = re.compile(r"“[^”“\n]*+”|\"[^\"\n]*+\"")

_MARKS = {
    "address": ("[REDACTED:customer-address]", "a customer's address"),
    "name": ("[REDACTED:customer-name]", "a customer"),
    "email": ("[REDACTED:email]", "an email address"),
    "phone": ("[REDACTED:phone]", "a phone number"),
    "record": ("[REDACTED:customer-record]", "a customer's record"),
}


def _mark(kind: str, plain: bool) -> str:
    return _MARKS[kind][1 if plain else 0]


def _phone(match: re.Match[str], plain: bool) -> str:
    digits = sum(c.isdigit() for c in match.group(0))
    return _mark("phone", plain) if digits >= 8 else match.group(0)


def _record(match: re.Match[str], plain: bool) -> str:
    if not plain:
        return match["label"] + _mark("record", plain)
    label = match["label"].lower()
    if label.startswith(("order", "bestellung", "auftrag")):
        return "a customer's order"
    if label.startswith("invoice"):
        return "a customer's invoice"
    return "a customer's account"


def mask_personal_data(text: str, *, plain: bool = False) -> str:
    """`text` with customer addresses, names after "c/o", e-mail addresses, phone numbers and
    order or account numbers replaced by a mark (or by plain words)."""
    if not any(c.isdigit() or c in "@/" for c in text):
        return text  # every shape holds a digit, an "@" or "c/o"

    def quoted(match: re.Match[str]) -> str:
        span = match.group(0)
        if any(_is_address(m) for m in _ADDRESS.finditer(span)) or _CARE_OF.search(span):
            return _mark("address", plain)
        return span

    def address(match: re.Match[str]) -> str:
        return _mark("address", plain) if _is_address(match) else match.group(0)

    text = _QUOTED.sub(quoted, text)
    text = _ADDRESS.sub(address, text)
    text = _CARE_OF.sub("c/o " + _mark("name", plain), text)
    text = _EMAIL.sub(_mark("email", plain), text)
    text = _PHONE.sub(lambda m: _phone(m, plain), text)
    return _RECORD.sub(lambda m: _record(m, plain), text)
