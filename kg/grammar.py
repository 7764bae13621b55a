"""Closed-class English the rules share: possessive clitics and the tags of descriptive words.

Open-class knowledge (names, trigger verbs, cues, markers) lives in ontology/; these few function
words and Penn tags are grammar, the same for every article.
"""
from __future__ import annotations

#: The possessive clitic as spaCy splits it ("Acme's" -> "Acme" + "'s").
POSSESSIVE_S = frozenset({"'s", "\u2019s"})
#: Also the bare apostrophe of a plural or s-final owner ("Acme Labs' prover").
POSSESSIVE = POSSESSIVE_S | {"'", "\u2019"}
#: Words that can describe a name inside an apposition ("a payments-focused layer-2 network").
DESCRIPTIVE_TAGS = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "VBN", "VBG", "CD", "HYPH"})
#: Nouns that only carry their complement as an object: "includes support for X" includes X.
LIGHT_OBJECTS = frozenset({"support", "integration", "compatibility", "version", "implementation"})
#: Words for a release of a thing that stand for the thing: "released version 2.0 of Zeta", "Zeta's first release".
VERSIONS = frozenset({"version", "implementation", "release"})
#: Relative words that open a clause about the noun before them ("Acme, which runs ...").
RELATIVE = frozenset({"which", "that", "who", "whom"})
#: Verbs that report what their subject says: "Acme said it ...", "Acme denied reports that it ...".
REPORTING = frozenset({"say", "tell", "deny", "confirm", "announce", "claim", "state", "report", "add", "note",
                       "explain", "insist", "reiterate", "disclose", "reveal", "acknowledge"})
#: What can be moved "to" a network without adopting it: "moved 10,000 QRX to Zeta".
MOVED_GOODS = frozenset({"fund", "asset", "token", "coin", "reserve", "holding", "headquarters", "office",
                         "operation", "staff", "liquidity", "treasury", "capital"})
#: Parts of an organisation that act for it: "its treasury unit is piloting X" is the firm piloting X.
ORG_PARTS = frozenset({"unit", "arm", "division", "subsidiary", "desk", "branch", "team", "affiliate"})
