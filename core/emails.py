"""One canonical form of an e-mail address, so that one person has one account.

Two strings can name the same mailbox while differing in case, in compatibility characters
(fullwidth letters, the Kelvin sign, the long s) or in how the domain is written (Unicode or
Punycode). If lookups, uniqueness and rate limits each compared addresses their own way (the
database's UPPER() maps "ı" to "I", Python's lower() does not), a lookalike could sign up beside
the owner and turn every log-in of the owner into an error. So every comparison goes through
`canonical_email()`: Unicode NFKC, case-folded, the domain IDNA-encoded (UTS #46). The user
model stores it in a unique column, so the database enforces it too.

`email_skeleton()` goes one step further for sign-up and e-mail change only: addresses that differ
by a letter that looks the same as another (the dotless ı and i, Cyrillic о and Latin o) get the
same skeleton, and a skeleton can belong to only one account, so nobody can register an address
that reads like a member's. It is never used to find the account to log in to.

`written_email()` is what is stored in `User.email` and allauth's `EmailAddress`: the canonical
form with the domain shown in Unicode, so allauth's exact-match lookups agree with the canonical
form and a member whose domain is not ASCII still sees it as they typed it.
"""

from __future__ import annotations

import unicodedata

import idna


def _fold(text: str) -> str:
    # NFKC turns fullwidth letters, the Kelvin sign and the long s into their plain letters;
    # casefold is the full Unicode case-insensitive form (ß -> ss); NFKC again because case
    # folding can leave non-normalised text; lower() last because allauth lower-cases addresses
    # again on its own (Cherokee letters fold to upper case), and the result must not move.
    folded = unicodedata.normalize("NFKC", text)
    folded = unicodedata.normalize("NFKC", folded.casefold())
    return folded.lower()


def _split(address: str) -> tuple[str, str]:
    local, at, domain = _fold(address.strip()).rpartition("@")
    if not at:
        return domain, ""
    return local, domain.rstrip(".")


def _ascii_domain(domain: str) -> str:
    if not domain:
        return ""
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        # Not a valid internationalised domain (the form validators refuse most of these): it is
        # still compared in its folded form, so it can never match a different valid domain.
        return domain


def canonical_email(address: str) -> str:
    """The identity of an address: two addresses are the same account exactly when these match."""
    local, domain = _split(address)
    if not domain:
        return local
    return f"{local}@{_ascii_domain(domain)}"


def written_email(address: str) -> str:
    """The address as stored and shown: the canonical form with its domain in Unicode."""
    canonical = canonical_email(address)
    local, at, domain = canonical.rpartition("@")
    if not at:
        return canonical
    try:
        domain = idna.decode(domain)
    except idna.IDNAError:
        pass
    return f"{local}@{domain}"


# Letters that read as another letter in common fonts, mapped to the letter they imitate. Only
# single letters, and no digits: "1" and "l" or "rn" and "m" differ in most fonts, and mapping
# them would refuse real, distinct addresses. Text is already case-folded when it gets here.
_LOOKALIKES = {
    # Latin letters without their dot or in other shapes
    "ı": "i",
    "ȷ": "j",
    "ɩ": "i",
    "ɪ": "i",
    "ɑ": "a",
    "ɡ": "g",
    "ᴏ": "o",
    "ᴠ": "v",
    # Cyrillic
    "а": "a",
    "е": "e",
    "ё": "ë",
    "һ": "h",
    "і": "i",
    "ї": "ï",
    "ј": "j",
    "ӏ": "l",
    "о": "o",
    "р": "p",
    "с": "c",
    "ѕ": "s",
    "у": "y",
    "х": "x",
    "ԁ": "d",
    "ԛ": "q",
    "ԝ": "w",
    # Greek
    "α": "a",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "υ": "u",
    "γ": "y",
    # Armenian
    "հ": "h",
    "ո": "n",
    "ս": "u",
    "օ": "o",
}
_SKELETON_TABLE = str.maketrans(_LOOKALIKES)


def email_skeleton(address: str) -> str:
    """A key shared by addresses that look the same; one account per skeleton."""
    local, domain = _split(address)
    if domain:
        try:
            # Compare domains in Unicode: a Punycode label hides the letters that look alike.
            domain = idna.decode(_ascii_domain(domain))
        except idna.IDNAError:
            pass
    text = f"{local}@{domain}" if domain else local
    return unicodedata.normalize("NFC", text.translate(_SKELETON_TABLE))
