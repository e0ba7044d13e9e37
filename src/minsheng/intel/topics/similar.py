"""Similar past decisions: a drafting aid for the handler who writes a decision or a reply.

The matter of the petition being decided (title and facts) is compared with the matters of the
cases that already have a written decision or reply, among the petitions the handler may see;
the most similar are shown with their decision text, to copy from.

Similarity is TF-IDF cosine over character 2–3-grams of the normalised text: 0.6 × that of the
titles + 0.4 × that of the openings of the facts (the title states the problem; a long narrative
would drown it). Character n-grams need no word
segmentation, are robust to the portal's masked place names and typos, and match the way a
handler searches ("小区 油烟").

Scale: the index is built per request from the decided cases visible to the handler (newest
`MAX_CANDIDATES`), nothing is cached between requests or processes (no stale decisions after a
new one is issued, no memory growth in long-lived workers). At the demo scale (≈3,000 decided
cases) that is a fraction of a second; a deployment with hundreds of thousands of decisions
would store the vectors with the decision (or an inverted index) and update it as decisions are
issued, the way the near-duplicate index is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import OuterRef, Subquery
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer

from minsheng.intel.text import normalise
from minsheng.orgs.models import User
from minsheng.petitions.access import petitions_visible_to
from minsheng.petitions.models import Petition
from minsheng.workflow.models import Decision, DecisionKind

# The kinds a handler drafts from: first-instance decisions and replies.
DRAFT_KINDS = (DecisionKind.DECISION, DecisionKind.REPLY)
MAX_CANDIDATES = 5000
# The title states the matter; the opening of the facts says where and what. The rest of a long
# narrative adds cost and noise (and the n-gram analysis is linear in the characters read).
TITLE_WEIGHT = 0.6
FACTS_CHARS = 150
MIN_SCORE = 0.05
EXCERPT_CHARS = 160


@dataclass(frozen=True)
class SimilarDecision:
    petition: Petition
    decision: Decision
    score: float

    @property
    def excerpt(self) -> str:
        text = " ".join(self.decision.opinion.split())
        return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"


def _cosines(query: str, candidates: list[str]) -> np.ndarray:
    # Hashed n-grams: no vocabulary to build and sort (most of a fitted vectoriser's time on
    # Chinese, whose n-gram vocabulary is large); 2^20 buckets keep collisions negligible here.
    counts = HashingVectorizer(
        analyzer="char", ngram_range=(2, 3), alternate_sign=False, norm=None, n_features=2**20, dtype=np.float32
    ).transform([*candidates, query])
    matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return np.asarray((matrix[:-1] @ matrix[-1].T).toarray()).ravel()


def rank_similar(query: tuple[str, str], candidates: list[tuple[str, str]]) -> list[tuple[int, float]]:
    """(index, score) of the (title, facts) candidates most like the (title, facts) query, best
    first: TITLE_WEIGHT × title cosine + the rest × cosine of the facts' opening."""
    if not candidates or not any(query):
        return []
    titles = _cosines(normalise(query[0]), [normalise(t) for t, _ in candidates])
    facts = _cosines(normalise(query[1])[:FACTS_CHARS], [normalise(f)[:FACTS_CHARS] for _, f in candidates])
    scores = TITLE_WEIGHT * titles + (1 - TITLE_WEIGHT) * facts
    order = np.argsort(-scores)
    return [(int(i), float(scores[i])) for i in order if scores[i] > 0]


def similar_decisions(*, user: User, petition: Petition, limit: int = 5) -> list[SimilarDecision]:
    """The decided cases most like `petition`, among those `user` may see, with their latest
    decision or reply; the petition itself and cases without a written text are left out."""
    latest = (
        Decision.objects.filter(case__petition=OuterRef("pk"), kind__in=DRAFT_KINDS)
        .exclude(opinion="")
        .order_by("-issued_at", "-id")
        .values("id")[:1]
    )
    decided = list(
        petitions_visible_to(user)
        .exclude(pk=petition.pk)
        .annotate(decision_id=Subquery(latest))
        .filter(decision_id__isnull=False)
        .only("id", "number", "title", "facts", "received_at")
        .order_by("-received_at", "-id")[:MAX_CANDIDATES]
    )
    ranked = rank_similar((petition.title, petition.facts), [(p.title, p.facts) for p in decided])
    ranked = [(i, score) for i, score in ranked[: limit * 4] if score >= MIN_SCORE]
    decisions = Decision.objects.in_bulk([decided[i].decision_id for i, _ in ranked])  # type: ignore[attr-defined]
    found: list[SimilarDecision] = []
    seen: set[str] = set()
    for i, score in ranked:
        decision = decisions[decided[i].decision_id]  # type: ignore[attr-defined]
        text = normalise(decision.opinion)
        if text in seen:  # the same text twice (a standard reply) helps the drafter once
            continue
        seen.add(text)
        found.append(SimilarDecision(petition=decided[i], decision=decision, score=score))
        if len(found) == limit:
            break
    return found
