"""The 15 rows re-inserted at the end of the portal's hot-topics file (留言编号 360100–360114).

Checked against the whole file (exact Jaccard of every pair, and by user id, title and body):
13 of them repeat an earlier message of the file, under another user id, with Jaccard 0.92–1.0 to
it. 360113 (经济学院强制学生外出实习) and 360114 (经济学院体育学院变相强制实习) have NO original in
the file nor anywhere in ../shared/data: their best Jaccard to any other message is below 0.05
and their user ids appear nowhere else. They belong to the gold hot topic (a college forcing
students into internships) but are not duplicates, and the index must not invent one for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from minsheng.intel.neardup import THRESHOLD, petition_text
from minsheng.intel.selectors import similar_to_petition
from minsheng.intel.text import jaccard, shingles
from minsheng.petitions.models import Petition

pytestmark = [pytest.mark.django_db, pytest.mark.data]

ORIGINALS = {
    "360100": "195095",
    "360101": "236798",
    "360102": "268914",
    "360103": "246598",
    "360104": "287386",
    "360105": "242792",
    "360106": "246362",
    "360107": "284147",
    "360108": "272122",
    "360109": "245136",
    "360110": "266368",
    "360111": "195917",
    "360112": "233759",
}
WITHOUT_ORIGINAL = ("360113", "360114")


def test_the_reinserted_rows_are_found_as_duplicates_of_their_originals(org: Any, data_dir: Path) -> None:
    call_command("import-messages", str(data_dir / "wenzheng_messages_hot.csv"), unit=str(org.units.province.pk))
    by_ref = {p.source_ref: p for p in Petition.objects.filter(source="wenzheng")}
    assert len(by_ref) == 4326

    for copy_ref, original_ref in ORIGINALS.items():
        matches = similar_to_petition(by_ref[copy_ref])
        refs = [Petition.objects.get(pk=m.petition_id).source_ref for m in matches]
        assert refs and refs[0] == original_ref, (copy_ref, refs[:3])
        assert matches[0].score >= 0.9

    texts = {ref: shingles(petition_text(p.title, p.request, p.facts)) for ref, p in by_ref.items()}
    for ref in WITHOUT_ORIGINAL:
        assert similar_to_petition(by_ref[ref]) == []
        best = max(jaccard(texts[ref], grams) for other, grams in texts.items() if other != ref)
        assert best < 0.05 < THRESHOLD
        user = by_ref[ref].petitioners.get().external_ref
        assert [p for p in Petition.objects.filter(petitioners__external_ref=user)] == [by_ref[ref]]
