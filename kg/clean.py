"""Clean scraped article text: navigation, repeated headline, broken sentences, teasers.

Works on plain text of any origin (a .txt scrape, a Markdown body, trafilatura's output), so
every reader shares one cleaner. Patterns of boilerplate lines come from ontology/boilerplate.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import parse_published
from .lexicon import Lexicon

DATE_LINE = re.compile(
    r"^(?P<pub>[^\n]{0,80}?)\s*(?P<date>(?:19|20)\d{2}[/.-]\d{1,2}[/.-]\d{1,2}(?:[ T]+\d{1,2}:\d{2}(?::\d{2})?)?)\s*$")
#: A line that is only a date, as news sites print it under the byline: "Nov 14, 2025, 9:02AM EST".
DATE_ONLY = re.compile(
    r"^(?:(?:last\s+)?(?:updated|published|posted)\s*:?\s*)?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?P<date>[a-z]{3,9}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}"
    r"|\d{1,2}\s+[a-z]{3,9}\.?\s+(?:19|20)\d{2})(?:(?:,|\s|\bat\b)+\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*[a-z]{2,5})?)?$", re.IGNORECASE)
#: A press release's dateline opening the first paragraph: "AUSTIN, Texas, Nov. 18, 2025 /Wire/ — ".
DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,40}(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2},"
                      r"\s*(?:19|20)\d{2}\s*(?:/[^/\n]{1,40}/|\([^)\n]{1,40}\))?\s*[\u2014\u2013-]{1,2}\s*")
#: A labelled date inside a longer line near the top: "*Published: 2026-03-06 · by A. Writer · ...*".
LABELLED_DATE = re.compile(
    r"(?:^|[|·•]\s*)[*_>\s]*(?:published|posted|updated)\s*(?::|on)?\s*(?P<date>(?:19|20)\d{2}[/.-]\d{1,2}[/.-]\d{1,2}"
    r"|[a-z]{3,9}\.?\s+\d{1,2},?\s+(?:19|20)\d{2}|\d{1,2}\s+[a-z]{3,9}\.?\s+(?:19|20)\d{2})", re.IGNORECASE)
#: A full date anywhere in a line: "Dec 11, 2025", "11 December 2025", "2025-12-11".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
ANY_DATE = re.compile(rf"(?<!\w)(?P<date>(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?, (?:19|20)\d{{2}}"
                      rf"|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH} (?:19|20)\d{{2}})(?!\w)")
#: "By Jane Roe", "Words by Jane Roe", "Posted by Jane Roe on Aug 7th, 2026 at 4:30 pm".
BY_LINE = re.compile(r"^(?:(?:words|posted|written|story|text|reporting|reported)\s+)?by\s*:?\s*(?P<author>.{2,80})$",
                     re.IGNORECASE)
#: A byline without "By": "Jane Roe, Policy Correspondent" (the role's last word is a person's role).
ROLE_BYLINE = re.compile(r"^(?P<author>[A-Z][\w.'\u2019-]+(?: [A-Z][\w.'\u2019-]+){1,3}),\s+(?P<role>[A-Za-z][A-Za-z &-]{2,40})$")
#: What may follow the author's name on a byline: "on <date>", "| <date>", "· 4 min read".
AFTER_AUTHOR = re.compile(r"\s+(?:on|\||·|•|—|–|-)\s+.*$")
TERMINAL = tuple('.!?:;"”’\')]…')
FUNCTION_WORDS = frozenset("""a an the of by to in on as at and or but with from for that which who whose
saw says said via per than into onto about across after before during like including such its their his
her our your this these those has have had is are was were be been being will would can could should""".split())
#: Words a line cut by a stripped link ends with ("has agreed to acquire" + link + "for $2M").
LINKING = frozenset("a an the of to for from with by its their his her at on and or".split())
NUMBERED_HEADING = re.compile(r"\d{1,2}[.)]\s+(?:[^\w\s]{1,4}\s+)?[A-Z0-9$\"“]")  # also "4. 💸 Acme raises"
BULLET_SPLIT = re.compile(r"\s+[-•]\s+(?=[A-Z0-9$\"“'])")


@dataclass(frozen=True)
class CleanArticle:
    """One article cut out of a page: metadata found in the text plus clean paragraphs."""

    headline: str
    publisher: str
    author: str
    published: str
    paragraphs: tuple[str, ...]

    def text(self) -> str:
        """The cleaned text offsets point into: headline, blank line, paragraphs."""
        parts = ([self.headline] if self.headline else []) + list(self.paragraphs)
        return "\n\n".join(parts)


def normalise_chars(raw: str) -> str:
    """One newline style, no NULs or no-break spaces, no trailing blanks."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    raw = raw.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in raw.split("\n"))


def _header(lines: list[str], roles: frozenset[str] = frozenset()) -> tuple[int, str, str, str, str]:
    """(index of first body line, headline, publisher, author, published) of a scraped page."""
    top = lines[:40]
    date_i = next((i for i, ln in enumerate(top) if DATE_LINE.match(ln.strip())), None)
    headline, start, pub, date = "", 0, "", ""
    if date_i is not None:
        m = DATE_LINE.match(top[date_i].strip())
        pub, date = m.group("pub").strip(" -|·,"), m.group("date")
        above = [ln.strip() for ln in top[:date_i] if ln.strip()]
        headline = above[-1] if above else ""
        start = date_i + 1
    else:
        stripped = [ln.strip() for ln in top]
        repeated = [s for s in stripped if s and stripped.count(s) > 1 and len(s.split()) >= 3]
        first = next((s for s in stripped if s), "")
        short_title = first if 2 <= len(first.split()) <= 20 and not first.endswith((".", "!", "?")) else ""
        headline = repeated[0] if repeated else short_title or next((s for s in stripped if len(s.split()) >= 4), "")
        start = stripped.index(headline) + 1 if headline else 0
    while headline and start < len(lines) and lines[start].strip() == headline:
        start += 1  # the headline printed twice
    author, start, date = _byline(lines, start, date, roles)
    if not date:
        date = next((m.group("date") for ln in top if (m := LABELLED_DATE.search(ln))), "")
    if not date:  # "Acme News | Dec 11, 2025 at 7:05 am ET By A. Writer": a short byline-like line
        date = _byline_date(top, headline)
    return start, headline, pub, author, date


def _byline_date(top: list[str], headline: str) -> str:
    """The last full date that parses in a short line between the headline and the story (not in
    the headline, a story sentence or a sidebar above the byline)."""
    stripped = [ln.strip() for ln in top]
    first = stripped.index(headline) + 1 if headline in stripped else 0
    while first < len(stripped) and stripped[first] == headline:
        first += 1
    found = ""  # the last one before the story: a byline sits just above it, a sidebar higher up
    for ln in stripped[first:]:
        if _is_sentence(ln):
            break
        if len(ln.split()) > 16 or ln.endswith((".", "!", "?")):
            continue
        found = next((m.group("date") for m in ANY_DATE.finditer(ln) if parse_published(m.group("date"))), found)
    return found


def _byline(lines: list[str], start: int, date: str, roles: frozenset[str] = frozenset()) -> tuple[str, int, str]:
    """(author, first body line, date) from the author and date lines right after the headline."""
    author, end = "", start
    for j in range(start, min(start + 4, len(lines))):
        s = lines[j].strip()
        by, when = BY_LINE.match(s) or _role_byline(s, roles), None if date else DATE_ONLY.match(s)
        if by and not author:
            author, end = AFTER_AUTHOR.sub("", by.group("author")).strip(), j + 1
            when = None if date else ANY_DATE.search(by.group("author"))
            date = when.group("date") if when and parse_published(when.group("date")) else date
        elif when:
            date, end = when.group("date"), j + 1
    return author, end, date


def _role_byline(line: str, roles: frozenset[str]) -> re.Match | None:
    """"Jane Roe, Policy Correspondent": a name and a role the lexicon knows as a person's."""
    m = ROLE_BYLINE.match(line)
    return m if m and m.group("role").split()[-1].lower() in roles else None


def _is_sentence(line: str) -> bool:
    """A line of story: eight words or more ending like a sentence (a share bar or a byline does not)."""
    s = line.strip()
    return len(s.split()) >= 8 and s.endswith((".", "!", "?", '"', "\u201d"))


def _story_seen(body: list[str]) -> bool:
    """Has the story begun: a sentence line, or 40 words of hard-wrapped text?"""
    return any(_is_sentence(ln) for ln in body) or sum(len(ln.split()) for ln in body) >= 40


def _is_fragment(paragraph: str) -> bool:
    """A paragraph that stops mid-sentence (a stripped link cut it)."""
    if not paragraph or paragraph.endswith(TERMINAL) or paragraph.startswith("- "):
        return False
    if NUMBERED_HEADING.match(paragraph) and len(paragraph.split()) <= 16:
        return False  # "3. Acme raises $9 million seed": a roundup's numbered heading
    last = paragraph.split()[-1]
    letter = len(last) == 1 and last.isupper()  # "Series A", "Plan B": a name's letter, not the article
    return last.islower() or last.lower() in FUNCTION_WORDS and not letter or last[-1] in ",-–—"


def _join(paragraphs: list[str], headline: str = "") -> list[str]:
    """Re-join sentences broken across paragraphs by stripped links (not a heading that repeats and
    extends the headline: "Acme launches X, lists Y; Zeta to add Z" stops there)."""
    out: list[str] = []
    for para in paragraphs:
        starts_mid = para[:1] in ",.;:)”’" or para[:1].islower()
        heading = bool(headline) and bool(out) and out[-1].startswith(headline) \
            and out[-1].split()[-1].lower() not in FUNCTION_WORDS and not out[-1].endswith(",")
        heading = heading or bool(out) and len(out[-1].split()) <= 5 and _is_sentence(para) \
            and out[-1].split()[-1].lower() not in LINKING  # "Card giant joins in", not "agreed to acquire"
        bullet = para.startswith("- ")
        if out and (_is_fragment(out[-1]) and not heading and not bullet or (starts_mid and not out[-1].startswith("- "))):
            glue = "" if para[:1] in ",.;:)”’" else " "
            out[-1] = out[-1] + glue + _cut_stop(para)
        else:
            out.append(para)
    return out


CUT_STOP = re.compile(r"^([.!?])(?:\s+(?=[A-Z0-9“\"])|$)")


def _cut_stop(text: str) -> str:
    """". Next sentence" after a stripped link: the full stop ends the sentence cut before it, on a
    line break of its own ("according to a." would otherwise read as an abbreviation)."""
    return CUT_STOP.sub(r"\1\n", text, count=1)


def _paragraphs(lines: list[str], headline: str) -> list[str]:
    """Blank-line separated paragraphs with bullets split and inner line breaks removed."""
    paras, buf = [], []
    for line in lines + [""]:
        s = line.strip()
        if s and buf and s.startswith(("- ", "• ")) and not buf[-1].startswith(("- ", "• ")):
            paras.append(buf)  # "At a glance" over a list: the list starts a paragraph of its own
            buf = []
        if s:
            buf.append(s)
            continue
        if buf:
            paras.append(buf)
            buf = []
    out = []
    for para in paras:
        text = " ".join(ln if i == 0 or not _is_fragment(para[i - 1]) else _cut_stop(ln) for i, ln in enumerate(para))
        text = re.sub(r"\s+([.,;:!?])", r"\1", text).replace(" \n", "\n").replace("\n ", "\n").strip()
        if headline and (text == headline or text.startswith(headline + " image")):
            continue
        if text.startswith(("- ", "• ")):
            out.extend("- " + b.lstrip("-• ").strip() for b in BULLET_SPLIT.split(text) if b.strip("-• "))
        else:
            out.append(text)
    return _join(out, headline)


def _filter(lines: list[str], lex: Lexicon) -> tuple[list[str], list[str]]:
    """(body lines, lines after a related-articles marker), boilerplate lines removed."""
    body: list[str] = []
    links = False  # inside a related-links block above the story: its titles are dropped
    advert = False  # under a sponsor's label, up to the next blank line
    for i, line in enumerate(lines):
        s = line.strip()
        action = next((a for a, pat in lex.boilerplate if s and pat.fullmatch(s)), None)
        advert = action == "block" or advert and bool(s)
        byline = action is None and BY_LINE.match(s) and len(s.split()) <= 16 and not _story_seen(body)
        action = "drop" if advert or byline else action
        if action in {"end", "related"} and not _story_seen(body) or action == "end" and _story_below(body, lines[i + 1:], lex):
            links = links or action == "related"
            action = "drop"  # a share bar or "Related" block above the story does not end it
        elif links and s and not _is_sentence(s):
            action = "drop"
        else:
            links = links and not s
        if action == "related":
            return body, lines[i + 1:]
        if action == "end":
            rest = lines[i + 1:]
            k = next((j for j, ln in enumerate(rest)
                      if any(a == "related" and p.fullmatch(ln.strip()) for a, p in lex.boilerplate)), None)
            return body, (rest[k + 1:] if k is not None else [])
        if action != "drop":
            body.append(line)
    return body, []


def _sentence_words(lines: list[str]) -> int:
    return sum(len(ln.split()) for ln in lines if _is_sentence(ln))


def _story_below(body: list[str], rest: list[str], lex: Lexicon) -> bool:
    """A share bar under the summary and above the story: more story follows it, up to the next end
    or related marker, than came before it (a dek of one or two sentences)."""
    stop = next((j for j, ln in enumerate(rest) if ln.strip()
                 and any(a in {"end", "related"} and p.fullmatch(ln.strip()) for a, p in lex.boilerplate)), len(rest))
    return _sentence_words(rest[:stop]) > _sentence_words(body)


def _teasers(lines: list[str], lex: Lexicon) -> list[CleanArticle]:
    """Split a related-articles tail into short articles, each closed by its own date line."""
    out, chunk = [], []
    for line in lines:
        m = DATE_LINE.match(line.strip())
        if m:
            body = [ln for ln in chunk if ln.strip()]
            if body:
                headline = body[0].strip()
                paras = _paragraphs(chunk[chunk.index(body[0]) + 1:], headline)
                out.append(CleanArticle(headline, m.group("pub").strip(" -|·,"), "", m.group("date"), tuple(paras)))
            chunk = []
        else:
            chunk.append(line)
    return out


def clean_page(raw: str, lex: Lexicon, headline: str = "") -> tuple[CleanArticle, list[CleanArticle]]:
    """The main article of a scraped page and the teasers that followed it."""
    lines = normalise_chars(raw).split("\n")
    roles = frozenset(m.word for m in lex.markers if m.cls == "Person" and " " not in m.word)
    start, found, pub, author, date = _header(lines, roles)
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if headline and first is not None and lines[first].strip() == headline.strip() and found != headline:
        start = max(start, first + 1) if found == headline else first + 1
    headline = headline or found
    body, tail = _filter(lines[start:], lex)
    paras = [DATELINE.sub("", p, count=1) for p in _paragraphs(body, headline) if p != headline]
    return CleanArticle(headline, pub, author, date, tuple(paras)), _teasers(tail, lex)


def published_of(value: str):  # noqa: ANN201 - date | None
    """Publication date of a metadata string."""
    return parse_published(value) if value else None
