"""The fast paths of the per-article stages give what the plain spaCy reads they replace give.

Each shortcut (memoised doc text and word lists, the trigger index, entities grouped by sentence,
whole-word counting without a regex) is checked against the straightforward expression it stands for.
"""
from __future__ import annotations

import random
import re

import pytest

from kg.cues import CueScope
from kg.entity_patterns import _occurrences, doc_lowers, doc_text, doc_words, lemma_lowers
from kg.extract import ClaimBuilder, is_title_case
from kg.observe import NUMBER_WORDS, WORD_NUMBERS

TEXT = ("Qorix Labs Launches Nova Upgrade With Acme\n"
        "Qorix Labs said on Tuesday it had launched the Nova upgrade, backed by Acme Bank. "
        "The upgrade, which Zeta Capital may adopt, did not ship in March 2025 as planned. "
        "Daily active addresses rose 12% to 10,400 after two weeks, according to people familiar. "
        "Acme’s QRX token traded at $3.02, up one cent; QRX_2 and été are not QRX.\n")


@pytest.fixture(scope="module")
def doc(nlp):  # noqa: ANN001, ANN201
    d = nlp.make_doc(TEXT)
    d.user_data["published"] = "2025-04-01"
    return nlp(d)


def _regex_count(text: str, name: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))


def test_whole_word_count_matches_the_regex() -> None:
    rng = random.Random(7)
    alphabet = "ab _-.é1$\n’"
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        name = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 3)))
        assert _occurrences(text, name) == _regex_count(text, name), (text, name)
    for name in ("QRX", "Qorix Labs", "Acme", "été", "Nova", "Zeta"):
        assert _occurrences(TEXT, name) == _regex_count(TEXT, name)


def test_word_lists_match_the_tokens(doc) -> None:  # noqa: ANN001
    assert doc_text(doc) == doc.text
    assert doc_lowers(doc) == [t.lower_ for t in doc]
    assert doc_words(doc) == [t.text for t in doc]
    assert lemma_lowers(doc) == [t.lemma_.lower() for t in doc]
    assert [w.isalpha() for w in doc_words(doc)] == [t.is_alpha for t in doc]


def test_word_lists_of_an_unparsed_doc() -> None:
    import spacy

    blank = spacy.blank("en")("A small test, with no parse.")
    assert doc_lowers(blank) == [t.lower_ for t in blank]
    assert lemma_lowers(blank) == [t.lemma_.lower() for t in blank]


def test_trigger_index_matches_a_scan(lex) -> None:  # noqa: ANN001
    keys = {(t.lemma, t.pos) for t in lex.triggers} | {("nothing", "VERB"), ("launch", "ADJ")}
    for lemma, pos in sorted(keys):
        assert lex.triggers_for(lemma, pos) == [t for t in lex.triggers if t.lemma == lemma and t.pos == pos]
        if lex.triggers_for(lemma, pos):
            assert lex.may_trigger(lemma.split(" ")[0], pos) and lex.may_trigger(lemma.split(" ")[0])


def test_builder_shortcuts_match_spacy(doc, lex) -> None:  # noqa: ANN001
    b = ClaimBuilder(doc, "t", lex, CueScope(lex))
    for sent in doc.sents:
        assert b.sent_ents(sent) == list(sent.ents)
        for ent in sent.ents:
            assert b.date_of(ent) == ent._.kg_date
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        plain = len(words) >= 2 and sum(t.text[:1].isupper() for t in words) / len(words) >= 0.75 \
            and not sent.text.rstrip().endswith(".")
        assert is_title_case(sent) == plain
        for pos in ("VERB", "NOUN", ""):
            listed = {t.i for t in b.trigger_tokens(sent, pos)}
            fires = {t.i for t in sent if lex.triggers_for(t.lemma_.lower(), pos or "VERB")
                     or lex.triggers_for(t.lemma_.lower(), pos or "NOUN")}
            assert fires <= listed


def test_number_words_in_one_pass() -> None:
    for text in ("one or two", "tone of one", "ten-one", "zero, nine and ten", "oneten one"):
        step = text
        for word, n in WORD_NUMBERS.items():
            step = re.sub(rf"\b{word}\b", str(n), step)
        assert NUMBER_WORDS.sub(lambda m: str(WORD_NUMBERS[m.group(1)]), text) == step
