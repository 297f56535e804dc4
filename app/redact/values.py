"""What a value has to look like to be taken for a secret, by how sure its context is.

A config line (`password: X`) makes any real value a secret. A sentence is weaker evidence:
"the password is expired" names no password, "the password for root is Xk9#pq2" does. The
tests here decide, from the value alone, whether a phrase stated a secret:

- `is_real_value`: not empty, not a reference (`${X}`, `<x>`), not a placeholder, not masked
  (`****`), not a null-ish word (`none`, `n/a`, `redacted`);
- `stated_password`: what follows "password is": anything but an ordinary word, a number too
  short to be a PIN, a path or a URL;
- `paired_password`: the second half of "log in with ops@example.com / X": also not an e-mail
  address, a time, a version or a ticket id;
- `coded_password`: where the name itself is ambiguous ("pass: X" also heads test results):
  letters with digits or symbols, and not an identifier, a hash or a UUID.
"""

from __future__ import annotations

import re

from app.redact.library import HEX_DIGITS, entropy, is_sequential, is_templated, is_uuid
from app.redact.spans import is_placeholder_text

NULLISH = frozenset(
    "null none nil true false yes no on off enabled disabled undefined required optional "
    "redacted hidden masked unset empty n/a na tbd todo xxx xxxx".split()
)
# How tools print a value they hide or have not got: Terraform, SOPS, CI masking.
_STAND_INS = ("(sensitive", "(known after apply", "<sensitive", "(redacted", "enc[", "[masked")
# Passwords people state in chat although they are plain words.
DEFAULT_PASSWORDS = frozenset(
    "changeme letmein qwerty admin administrator root toor guest welcome password "
    "iloveyou monkey dragon".split()
)
# Look like generated values but name things: the password manager, auth factors.
_NOT_SECRETS = frozenset("1password 2fa mfa totp u2f webauthn yubikey".split())

# Used with fullmatch on one value; each starts only where a run of its characters starts,
# so that scanning a whole text with them would stay linear too.
_WORD = re.compile(r"(?<![A-Za-z'\-])[A-Za-z]++(?:['\-][A-Za-z]++)*+")
_MASK_CHARS = frozenset("*xX•#.-")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]++@[\w\-]++(?:\.[\w\-]++)++")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?+(?:[ap]m)?+", re.IGNORECASE)
_NUMBERISH = re.compile(
    r"(?<![<>~\d.,:/%+\-])[<>~]?+[\d.,:/%+\-]++(?:ms|s|m|h|d|w|kb|mb|gb|x|%)?+", re.IGNORECASE
)
_VERSION = re.compile(r"(?<![\w.])v?\d++(?:\.\d++)++(?:[\-+][\w.]++)?+", re.IGNORECASE)
_TICKET = re.compile(r"(?<![A-Z0-9])[A-Z][A-Z0-9]{1,9}+-\d++")
_IDENTIFIER = re.compile(r"(?<![\w.\-/:])[a-z][a-z0-9]*+(?:[_.\-/:]{1,3}+[a-z0-9]++)++")
_SYMBOLS = re.compile(r"[^\w\-.]")
_PORT_PATH = re.compile(r"(?<![\d/])\d{1,5}+(?:/[\w.\-/]*+)?+")


_SEGMENT_STOPS = frozenset(" \t\n\r\"'`([{<>=,")


def inside_url_or_arn(text: str, position: int) -> bool:
    """`position` is inside a URL or an AWS ARN (`arn:...:secret:prod/db`): there a name
    like `secret:` is part of a path or an authority, which urls.py reads."""
    start, limit = position, max(0, position - 256)
    while start > limit and text[start - 1] not in _SEGMENT_STOPS:
        start -= 1
    segment = text[start:position]
    return "://" in segment or segment.startswith("arn:")


def is_masked(value: str) -> bool:
    """`****`, `xxxx`, `ab***yz`, `sk-...abcd`: a value someone already hid or cut short."""
    if len(value) < 3:
        return False
    return (
        set(value) <= _MASK_CHARS
        or set(value[:3]) <= {"*", "•"}
        or set(value[-3:]) <= {"*", "•"}
        or "..." in value
        or "\u2026" in value
    )


def is_real_value(value: str) -> bool:
    """A value that could be the secret itself, not a reference to it or a stand-in."""
    return (
        bool(value)
        and not is_placeholder_text(value)
        and "[REDACTED:" not in value
        and not is_templated(value)
        and any(c.isalnum() for c in value)
        and value.lower() not in NULLISH
        and not value.lower().startswith(_STAND_INS)
        and not is_masked(value)
    )


def is_word(value: str) -> bool:
    """An ordinary word ('expired', 'Okta', 'admin-only'): not a password by itself."""
    return bool(_WORD.fullmatch(value))


def _is_path_or_url(value: str) -> bool:
    return "://" in value or value.startswith(("/", "~/", "./", "../", "\\\\"))


def stated_password(value: str, quoted: bool = False) -> bool:
    """The value of an explicit statement: 'the password for root is X', 'set pw to X'."""
    if not is_real_value(value) or _is_path_or_url(value) or value.lower() in _NOT_SECRETS:
        return False
    if "/" in value and _IDENTIFIER.fullmatch(value):
        return False  # "password -> secret/prod/db" says where it is
    if quoted:
        return len(value) >= 3
    if is_word(value):
        return value.lower() in DEFAULT_PASSWORDS
    if value.isdigit():
        return len(value) >= 4
    return len(value) >= 4 and not _NUMBERISH.fullmatch(value)


def paired_password(value: str, quoted: bool = False) -> bool:
    """The password half of a user/password pair, or of 'the secret is X'."""
    if not stated_password(value, quoted):
        return False
    if quoted:
        return True
    return not (
        len(value) < 5
        or _PORT_PATH.fullmatch(value)
        or _EMAIL.fullmatch(value)
        or _TIME.fullmatch(value)
        or _VERSION.fullmatch(value)
        or _TICKET.fullmatch(value)
    )


def coded_password(value: str, quoted: bool = False) -> bool:
    """Where the name is ambiguous: the value must look made up, not like a word or an id."""
    if not paired_password(value, quoted):
        return False
    if value.lower() in DEFAULT_PASSWORDS:
        return True
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    symbol = bool(_SYMBOLS.search(value))
    if not has_letter or not (has_digit or symbol or mixed_case):
        return False
    if _IDENTIFIER.fullmatch(value) or is_uuid(value):
        return False
    return not (set(value) <= HEX_DIGITS and len(value) >= 7)


def looks_generated(value: str, keyword: str) -> bool:
    """Whether a value given to a weak name (`token`, `key`) is random enough to be a secret."""
    has_letter = any(c.isalpha() for c in value)
    has_digit = any(c.isdigit() for c in value)
    if not (has_letter and has_digit) or is_sequential(value):
        return False
    if keyword.lower() == "key":
        # A bare `key` names too many ordinary things: demand a long, random value that is
        # neither a request UUID nor a commit SHA.
        if is_uuid(value) or (set(value) <= HEX_DIGITS and len(value) <= 40):
            return False
        return len(value) >= 20 and entropy(value) >= 3.5
    return len(value) >= 10 and entropy(value) >= 3.0
