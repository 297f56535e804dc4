"""Countries as a chat and a draft write them: "Germany", "German", "DE", "Deutschland", and
the currency a chat names a market by ("CLP" for Chile, "KRW" for Korea). A claim's country or
demonym occurs in the chat when any of its forms does. Codes that are everyday words or
abbreviations ("IT", "NO", "ID", "IN", "CA"), or that a chat shouts or names a tool by ("ES" for
Elasticsearch, "PHP", "CAN", "TRY", "PEN", "PER", "NOR", "COP", "CAD") are left out of the
table: a chat writing "IT" or "ES cluster red" names no country.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.fold import word_key

# name | demonyms and names in other languages | codes (ISO 3166 alpha-2 and alpha-3, ISO 4217)
_TABLE = """
germany|german,deutschland,deutsch,allemagne,alemania|DE,DEU
france|french,français,francia,frankreich|FR,FRA
spain|spanish,españa,espagne,spanien|ESP
italy|italian,italia,italie,italien|ITA
netherlands|dutch,nederland,holland,pays-bas,niederlande|NL,NLD
belgium|belgian,belgique,belgië,belgien|BEL
austria|austrian,österreich,autriche|AUT
switzerland|swiss,schweiz,suisse,svizzera|CH,CHE,CHF
poland|polish,polska,pologne,polen|PL,POL,PLN
sweden|swedish,sverige,suède,schweden|SE,SWE,SEK
norway|norwegian,norge,norvège,norwegen|NOK
denmark|danish,danmark,danemark,dänemark|DK,DNK,DKK
finland|finnish,suomi,finlande,finnland|FI,FIN
ireland|irish,irlande,irland|IE,IRL
portugal|portuguese|PT,PRT
united kingdom|british,britain,great britain,england,english,royaume-uni|UK,GB,GBR,GBP
united states|american,usa,états-unis,estados unidos|US,USA,USD
canada|canadian|
mexico|mexican,méxico,mexique|MX,MEX,MXN
brazil|brazilian,brasil,brésil|BR,BRA,BRL
argentina|argentine,argentinian,argentinien|AR,ARG,ARS
chile|chilean,chili|CL,CHL,CLP
colombia|colombian,colombie,kolumbien|COL
peru|peruvian,pérou|
japan|japanese,japon,nippon|JP,JPN,JPY
south korea|korea,korean,corée,korea republic|KR,KOR,KRW
china|chinese,chine|CN,CHN,CNY,RMB
india|indian,inde,indien|IND,INR
vietnam|vietnamese,viet nam,viêt nam|VN,VNM,VND
indonesia|indonesian,indonésie,indonesien|IDN,IDR
thailand|thai,thaïlande|TH,THA,THB
philippines|philippine,filipino|PH,PHL
singapore|singaporean,singapour,singapur|SG,SGP,SGD
malaysia|malaysian,malaisie|MYS,MYR
australia|australian,australie,australien|AU,AUS,AUD
new zealand|kiwi,nouvelle-zélande,neuseeland|NZ,NZL,NZD
turkey|turkish,türkiye,turquie,türkei|TR,TUR
israel|israeli|ISR,ILS
south africa|south african|ZA,ZAF,ZAR
nigeria|nigerian|NG,NGA,NGN
egypt|egyptian,égypte,ägypten|EG,EGY,EGP
czechia|czech,czech republic,tchéquie,tschechien|CZ,CZE,CZK
hungary|hungarian,hongrie,ungarn|HU,HUN,HUF
romania|romanian,roumanie,rumänien|RO,ROU,RON
greece|greek,grèce,griechenland|GR,GRC
ukraine|ukrainian|UA,UKR,UAH
taiwan|taiwanese|TW,TWN,TWD
hong kong|hongkong|HK,HKG,HKD
united arab emirates|emirati,uae|AE,ARE,AED
saudi arabia|saudi|SAU,SAR
"""


def _read() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    table: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for line in _TABLE.strip().splitlines():
        name, others, codes = line.split("|")
        written = [name, *(o for o in others.split(",") if o)]
        names = frozenset(w.lower() for w in written) | {word_key(w) for w in written}
        entry = (names, frozenset(c for c in codes.split(",") if c))
        for key in names:
            table[key] = entry
    return table


_PLACES = _read()
_CODE = re.compile(r"(?<![\w\-])[A-Z]{2,3}+(?![\w\-])")
_WORD = re.compile(r"[^\W\d_]++(?:['’\-][^\W\d_]++)*+")
# The longest country name in words ("united arab emirates").
_MAX_WORDS = 3


def place_forms(name: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The written forms of a country `name` ("Chilean"): its names and demonyms in lower case,
    and its codes in upper case; None for a name that is no country."""
    return _PLACES.get(word_key(name))


@lru_cache(maxsize=8192)
def _forms_in(text: str) -> frozenset[str]:
    """The codes in capitals and the runs of up to three words (lower case) of `text`."""
    found = set(_CODE.findall(text))
    words = [w.lower() for w in _WORD.findall(text)]
    for start in range(len(words)):
        for end in range(start + 1, min(start + _MAX_WORDS, len(words)) + 1):
            run = " ".join(words[start:end])
            found.add(run)
            found.add(word_key(run))
    return frozenset(found)


def chat_forms(texts: list[str]) -> frozenset[str]:
    """Every code and word run the chat's `texts` write, for `place_written` (built once per
    chat by the caller)."""
    found: set[str] = set()
    for text in texts:
        found |= _forms_in(text)
    return frozenset(found)


def place_written(name: str, written: frozenset[str]) -> bool:
    """True when the chat (`written`: its `chat_forms`) writes the country `name` in any of its
    forms: a name or demonym as words ("Chile", "chilean") or a code in capitals ("CLP")."""
    forms = place_forms(name)
    if forms is None:
        return False
    names, codes = forms
    return bool((names | codes) & written)
