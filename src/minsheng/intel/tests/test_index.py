"""The near-duplicate index: found by similar text, verified exactly, kept current by the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from minsheng.core.actors import Actor
from minsheng.intel.models import NearDupSignature
from minsheng.intel.neardup import BANDS, THRESHOLD, band_keys, signature, text_keys
from minsheng.intel.selectors import similar_to_petition, similar_to_text, verify
from minsheng.intel.text import shingles
from minsheng.petitions.services import petition_update
from minsheng.privacy.retention import case_purge
from minsheng.workflow import services as wf

pytestmark = pytest.mark.django_db

FACTS = "小区门口每晚有二十多家烧烤摊占道经营，油烟和噪音影响居民休息，多次投诉无果。"
OTHER = "本人系春华镇金鼎村七里组村民，想了解水泥路到户和自来水到户的政策，是否由政府主导投资。"


def test_band_keys_are_stable_signed_32_bit_integers() -> None:
    keys = band_keys(signature(shingles(FACTS)))
    assert len(keys) == BANDS
    assert all(-(2**31) <= k < 2**31 for k in keys)
    assert keys == band_keys(signature(shingles("\n\t" + FACTS + "\n")))  # padding does not matter
    assert text_keys("")[1] is None


def test_registration_indexes_the_petition_and_a_near_copy_finds_it(org: Any, register: Any) -> None:
    petition = register(org.units.a, facts=FACTS).petition
    assert NearDupSignature.objects.filter(pk=petition.pk).exists()
    edited = petition.title + petition.request + FACTS.replace("多次投诉无果", "多次投诉仍然无果")
    matches = similar_to_text(edited)
    assert [m.petition_id for m in matches] == [petition.pk]
    assert THRESHOLD <= matches[0].score < 1.0
    assert similar_to_text("关于" + OTHER) == []


def test_candidates_are_verified_so_a_weak_match_is_not_shown(org: Any, register: Any) -> None:
    petition = register(org.units.a, facts=FACTS).petition
    # about half the text in common: may share a band, must not pass exact verification
    half = shingles(petition.title + FACTS[: len(FACTS) // 2] + OTHER)
    assert verify(half, [petition.pk], threshold=THRESHOLD) == []
    weak = verify(half, [petition.pk], threshold=0.2)
    assert [m.petition_id for m in weak] == [petition.pk] and 0.2 <= weak[0].score < THRESHOLD


def test_a_correction_of_the_text_reindexes_the_petition(org: Any, register: Any) -> None:
    petition = register(org.units.a, facts=FACTS).petition
    before = NearDupSignature.objects.get(pk=petition.pk).b00
    petition_update(actor=Actor.staff(org.registrar_a), petition=petition, title="咨询水泥路到户政策", facts=OTHER)
    assert NearDupSignature.objects.get(pk=petition.pk).b00 != before
    assert [m.petition_id for m in similar_to_text("咨询水泥路到户政策" + petition.request + OTHER)] == [petition.pk]
    assert similar_to_text(petition.title + petition.request + FACTS) == []


def test_merge_takes_the_petition_out_of_the_index_and_unmerge_puts_it_back(flow: Any, org: Any) -> None:
    earlier = flow.accepted()
    later = flow.registered()
    triage_due = later.case.deadlines.get(step="triage").due
    wf.case_merge(actor=Actor.staff(org.registrar_a), petition=later, into=earlier.number)
    assert not NearDupSignature.objects.filter(pk=later.pk).exists()
    assert [m.petition_id for m in similar_to_petition(earlier)] == []

    outcome = wf.case_unmerge(actor=Actor.staff(org.registrar_a), petition=later, reason="并非同一事项，合并有误。")
    assert outcome.petition.status == "registered"
    assert outcome.case.merged_into is None
    assert outcome.event.action == "unmerge" and outcome.event.from_status == "merged"
    # the triage period runs again from the original receipt, not from the unmerge
    assert later.case.deadlines.get(step="triage", status="open").due == triage_due
    assert NearDupSignature.objects.filter(pk=later.pk).exists()
    assert [m.petition_id for m in similar_to_petition(earlier)] == [later.pk]


def test_unmerge_needs_a_reason_and_a_merged_petition(flow: Any, org: Any) -> None:
    from minsheng.core.errors import ValidationError
    from minsheng.workflow.engine import TransitionRefused

    earlier = flow.accepted()
    later = flow.registered()
    with pytest.raises(TransitionRefused):
        wf.case_unmerge(actor=Actor.staff(org.registrar_a), petition=later, reason="理由")
    wf.case_merge(actor=Actor.staff(org.registrar_a), petition=later, into=earlier.number)
    with pytest.raises(ValidationError):
        wf.case_unmerge(actor=Actor.staff(org.registrar_a), petition=later, reason="  ")
    later.refresh_from_db()
    assert later.status == "merged"


def test_link_earlier_can_be_undone(flow: Any, org: Any) -> None:
    earlier = flow.accepted()
    later = flow.registered()
    wf.case_link_earlier(actor=Actor.staff(org.registrar_a), petition=later, earlier=earlier.number)
    outcome = wf.case_unlink_earlier(actor=Actor.staff(org.registrar_a), petition=later, reason="不是同一事项。")
    assert outcome.case.earlier is None
    assert outcome.event.changes == {"earlier": [earlier.number, None]}


def test_the_retention_purge_takes_the_text_out_of_the_index(flow: Any, org: Any) -> None:
    petition = flow.registered()
    wf.case_withdraw(actor=Actor.staff(org.registrar_a), petition=petition, reason="信访人撤回。")
    assert case_purge(
        actor=Actor.system("purge"), petition_id=petition.pk, cutoff=timezone.now() + dt.timedelta(days=1)
    )
    assert not NearDupSignature.objects.filter(pk=petition.pk).exists()


def test_the_rebuild_command_indexes_every_petition_but_merged_ones(flow: Any, org: Any, capsys: Any) -> None:
    earlier = flow.accepted()
    later = flow.registered()
    wf.case_merge(actor=Actor.staff(org.registrar_a), petition=later, into=earlier.number)
    NearDupSignature.objects.all().delete()
    call_command("neardup-rebuild")
    assert list(NearDupSignature.objects.values_list("pk", flat=True)) == [earlier.pk]
    assert "1" in capsys.readouterr().out


def test_the_sketch_estimates_jaccard_closely_enough_to_drop_only_hopeless_candidates() -> None:
    from minsheng.intel.neardup import PREFILTER_MARGIN, sketch, sketch_estimates

    base = shingles(FACTS)
    near = shingles(FACTS.replace("多次投诉无果", "多次投诉仍然无果"))
    query = sketch(signature(base))
    same, close, unrelated, legacy = sketch_estimates(
        query, [sketch(signature(base)), sketch(signature(near)), sketch(signature(shingles(OTHER))), b""]
    )
    assert same == 1.0
    assert close >= THRESHOLD - PREFILTER_MARGIN  # a true match is verified
    assert unrelated < THRESHOLD - PREFILTER_MARGIN  # an unrelated text is not
    assert legacy == 1.0  # a row indexed before sketches is always verified
