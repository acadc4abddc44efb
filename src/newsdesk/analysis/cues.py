"""Words that introduce speech: reporting verbs, "according to", pronouns and source nouns.

Kept as data, per language, so quote finding stays one algorithm; lemmas for
pipelines with a lemmatizer, surface forms for the dialogue-dash shortcut.
"""

from __future__ import annotations

__all__ = [
    "ACCORDING",
    "COUNTERPART_NOUNS",
    "DASH_CUES",
    "ORG_NOUNS",
    "PLURAL_PRONOUNS",
    "PRONOUNS",
    "REPORT_VERBS",
    "ROLE_NOUNS",
    "SOURCE_NOUNS",
    "UNNAMED_DETERMINERS",
]

# Lemmas of verbs that report what someone said, claimed or believes.
REPORT_VERBS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """say tell warn stress add insist claim argue state explain note announce acknowledge assure declare
        recall specify propose urge deny confirm report indicate suggest emphasize emphasise predict admit reply
        respond comment affirm underline reiterate maintain mention promise threaten believe think fear hope
        estimate write tweet answer demand concede complain caution observe point clarify summarize
        summarise accuse allege vow pledge assert contend remark testify describe""".split()
    ),
    "fr": frozenset(
        """dire déclarer affirmer ajouter expliquer souligner estimer assurer indiquer préciser rappeler annoncer
        avertir prévenir insister reconnaître confirmer démentir nier répondre promettre menacer juger penser
        croire craindre espérer écrire demander exiger admettre regretter martelé marteler lancer résumer""".split()
    ),
    "es": frozenset(
        """decir declarar afirmar añadir agregar explicar subrayar destacar estimar asegurar indicar precisar
        recordar anunciar advertir insistir reconocer confirmar negar responder prometer amenazar considerar
        creer temer esperar escribir pedir exigir admitir lamentar señalar sostener apuntar manifestar
        reiterar""".split()
    ),
}
# "according to X", per language: the words before the source.
ACCORDING: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": (("according", "to"),),
    "fr": (("selon",), ("d'après",)),
    "es": (("según",), ("de", "acuerdo", "con")),
}
# Surface forms that close a dialogue-dash line: "– We are ready, Volkonsky told reporters."
DASH_CUES = frozenset(
    """said says say told tells tell adds added asks asked explains explained writes wrote continues continued
    stresses stressed insists insisted warns warned notes noted replies replied answers answered
    dit déclare ajoute explique affirme souligne a-t-il a-t-elle dice dijo afirma añade explica asegura
    señala déclaré ajouté expliqué affirmé souligné estimé précisé assuré indiqué lancé répondu confié
    afirmó añadió explicó aseguró señaló indicó declaró subrayó agregó respondió""".split()
)
PRONOUNS = frozenset("he she him her his il elle lui él ella".split())
PLURAL_PRONOUNS = frozenset("they them ils elles ellos ellas".split())
# Nouns of sources that stay unnamed: "a senior official", "Western sources", "a European source".
SOURCE_NOUNS = frozenset(
    """source sources official officials diplomat diplomats analyst analysts expert experts observer observers
    insider insiders spokesman spokeswoman spokesperson person people witness witnesses resident residents
    member members representative representatives delegate delegates engineer engineers scientist scientists
    firefighter firefighters authorities farmer farmers lawyer lawyers negotiator negotiators critic critics
    opponent opponents activist activists economist economists researcher researchers doctor doctors worker
    workers man woman men women officer officers aide aides adviser advisers advisor advisors firemen
    fireman police
    fuente fuentes funcionario funcionarios diplomático diplomáticos responsable responsables source sources
    diplomate diplomates""".split()
)
UNNAMED_DETERMINERS = frozenset("a an one several some many other two three various un une unos unas varios".split())
# Nouns that name a person by role: "the NATO chief", "the diplomat", "the former head of …".
ROLE_NOUNS = frozenset(
    """chief head leader minister secretary general president chancellor premier diplomat official spokesman
    spokeswoman spokesperson envoy ambassador negotiator mediator commander director chairman chairwoman chair
    governor mayor senator lawmaker politician undersecretary deputy representative adviser advisor aide
    analyst expert researcher professor economist officer colonel admiral king queen prince pope man woman
    commissioner controller facilitator coordinator manager superintendent inspector prosecutor judge
    norwegian german russian american british french spanish ukrainian chinese italian dutch polish
    ministre porte-parole président présidente diplomate dirigeant responsable médiateur médiatrice
    ministro ministra portavoz presidente presidenta diplomático dirigente responsable mediador mediadora
    canciller jefe jefa counterpart homologue homólogo homóloga""".split()
)
# Nouns that head an organisation's name when it speaks: "the Russian Foreign Ministry said".
ORG_NOUNS = frozenset(
    """ministry government office agency army police committee council commission union party court company
    department administration alliance embassy authority authorities service services organization organisation
    federation coalition association institute bank group board cabinet parliament presidency kremlin
    opposition
    ministerio gobierno comisión ministère gouvernement commission""".split()
)
# "His counterpart": the other person of a pair, not the one who just spoke.
COUNTERPART_NOUNS = frozenset("counterpart counterparts homologue homologues homólogo homóloga".split())
