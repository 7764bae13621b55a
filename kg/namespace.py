"""The ontology contract's namespaces and terms, so code never spells IRIs by hand."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

KG = Namespace("https://w3id.org/crypto-kg/ontology#")
ID = Namespace("https://w3id.org/crypto-kg/id/")
SCHEMA = Namespace("https://schema.org/")

PREFIXES: dict[str, Namespace] = {
    "kg": KG,
    "id": ID,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
}

#: Relation properties of the contract (entity to entity).
RELATIONS: tuple[str, ...] = (
    "endorses", "adopts", "partnersWith", "investsIn", "acquires", "launches",
    "upgradeOf", "productOf", "tokenOf", "includes",
)
#: Date properties: the parent and its two sub-properties.
DATE_PROPERTIES: tuple[str, ...] = ("shipsOn", "shippedOn", "scheduledFor")

#: Entity classes that the extractor may assign (sub-classes declared in ontology/kg.ttl).
ENTITY_CLASSES: tuple[str, ...] = (
    "Person", "Organization", "Company", "FinancialInstitution", "Bank", "AssetManager",
    "Exchange", "PaymentNetwork", "GovernmentBody", "Project", "Token", "Stablecoin",
    "Product", "Upgrade", "Proposal",
)


def bind_prefixes(graph) -> None:  # noqa: ANN001 - any rdflib Graph or Dataset
    """Bind the contract's prefixes so serialisations use them."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)


def sparql_prologue() -> str:
    """PREFIX lines for queries given by users without them."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


__all__ = ["KG", "ID", "SCHEMA", "PROV", "SKOS", "RDF", "RDFS", "XSD", "OWL", "PREFIXES",
           "RELATIONS", "DATE_PROPERTIES", "ENTITY_CLASSES", "bind_prefixes", "sparql_prologue"]
