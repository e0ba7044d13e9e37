"""Online petitioning: guided filing, Art. 19 facts, Art. 20 representatives, attachments, proxy."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from minsheng.core.models import AuditRecord
from minsheng.orgs.models import Region
from minsheng.orgs.services import region_create
from minsheng.petitions.models import Attachment, Channel, Petition, Petitioner, PetitionEvent
from minsheng.petitions.services import query_code_hash
from minsheng.portal.tests.helpers import code_in, grievance_form

pytestmark = pytest.mark.django_db
FILE = reverse("portal:file", args=["grievance"])


def rows() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Petition, Petitioner, PetitionEvent, Attachment, AuditRecord)}


def test_a_citizen_files_online_and_sees_the_query_code_once(client: Client, org: Any) -> None:
    response = client.post(FILE, grievance_form(org), follow=True)
    petition = Petition.objects.get()
    assert response.redirect_chain[-1][0] == reverse("portal:filed")
    code = code_in(response.content.decode())
    assert petition.query_code_hash == query_code_hash(code)
    assert petition.channel == Channel.ONLINE and petition.nature == "grievance"
    assert petition.registering_unit == org.units.a == petition.handling_unit
    assert petition.region == org.regions.a
    assert petition.registered_by is None
    # the code is gone from the session: a reload does not show it again
    again = client.get(reverse("portal:filed"))
    assert again.status_code == 302 and code not in client.get(again["Location"]).content.decode()


def test_the_guidance_answer_is_on_the_staff_timeline_in_chinese_whatever_the_citizen_reads(
    client: Client, org: Any
) -> None:
    client.post(FILE, grievance_form(org, guidance="litigation+ack"), HTTP_ACCEPT_LANGUAGE="en")
    event = PetitionEvent.objects.get(action="portal_guidance")
    assert not event.public
    assert "诉讼、检察或公安法律程序" in event.note and "仍选择通过网上信访提交" in event.note
    assert AuditRecord.objects.filter(action="petition.portal_guidance", data__route="litigation+ack").exists()


def test_a_grievance_without_the_guidance_step_is_sent_back_to_it(client: Client, org: Any) -> None:
    response = client.get(reverse("portal:file", args=["grievance"]))
    assert response.status_code == 302 and response["Location"] == reverse("portal:guide")
    # a channel the law sends elsewhere cannot be filed without acknowledging it
    assert client.get(FILE + "?guidance=arbitration")["Location"] == reverse("portal:guide")
    response = client.post(FILE, grievance_form(org, guidance="arbitration"))
    assert response.status_code == 302 and Petition.objects.count() == 0


@pytest.mark.parametrize("route", ["litigation", "arbitration", "party", "administrative"])
def test_matters_with_their_own_channel_are_told_it_before_they_submit(client: Client, org: Any, route: str) -> None:
    page = client.get(reverse("portal:guide"), {"route": route}).content.decode()
    assert "第三十一条" in page and "应当通过的途径" in page
    assert f"guidance={route}%2Back" in page  # the citizen may still submit, having been told


@pytest.mark.parametrize("route", ["duty", "none"])
def test_petition_matters_go_straight_to_the_form(client: Client, org: Any, route: str) -> None:
    response = client.get(reverse("portal:guide"), {"route": route})
    assert response["Location"] == FILE + f"?guidance={route}"


def test_a_township_region_files_with_the_nearest_bureau_above_it(client: Client, org: Any) -> None:
    town = region_create(code="430102001", name="东风街道", level=Region.Level.TOWNSHIP, parent=org.regions.a)
    from minsheng.portal.routing import bureau_for_region, intake_regions

    assert bureau_for_region(town) == org.units.a
    assert town not in intake_regions() and org.regions.a in intake_regions()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "请填写信访人姓名（《信访工作条例》第十九条）"),
        ({"home_address": ""}, "home_address", "请填写信访人住址"),
        ({"phone": ""}, "phone", "请填写联系电话"),
        ({"request": ""}, "request", "请填写信访请求"),
        ({"facts": "", "title": ""}, "facts", "请填写事实和理由"),
        ({"region": ""}, "region", "请选择问题所在地区"),
        ({"id_number": "110105194912310039"}, "id_number", "身份证号码校验位不正确"),
        ({"truthful": None}, "truthful", "请阅读并确认此项承诺"),
    ],
)
def test_missing_facts_are_named_and_nothing_is_saved(
    client: Client, org: Any, overrides: Any, field: str, message: str
) -> None:
    before = rows()
    response = client.post(FILE, grievance_form(org, **overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert rows() == before


def test_several_faults_are_named_at_once(client: Client, org: Any) -> None:
    response = client.post(FILE, grievance_form(org, region="", request="", name=""))
    assert {"region", "request", "name"} <= set(response.context["form"].errors)


def test_a_collective_matter_names_at_most_five_representatives(client: Client, org: Any) -> None:
    reps = {f"r-{i}-name": f"代表{i}" for i in range(4)} | {f"r-{i}-phone": f"1380013800{i}" for i in range(4)}
    client.post(FILE, grievance_form(org, is_collective="on", persons_count="40", **reps))
    petition = Petition.objects.get()
    assert petition.persons_count == 40 and petition.is_collective
    assert petition.petitioners.filter(is_representative=True).count() == 5

    six = reps | {"r-TOTAL_FORMS": "5", "r-4-name": "代表5"}
    response = client.post(FILE, grievance_form(org, is_collective="on", persons_count="40", **six))
    assert "代表人数不得超过5人（《信访工作条例》第二十条）" in response.content.decode()
    assert Petition.objects.count() == 1


def test_attachments_are_checked_for_type_and_count(client: Client, org: Any) -> None:
    exe = SimpleUploadedFile("a.exe", b"MZ\x90\x00" + bytes(200), content_type="application/pdf")
    response = client.post(FILE, grievance_form(org, attachments=[exe]))
    assert "不支持文件“a.exe”的类型" in response.content.decode() and Petition.objects.count() == 0

    many = [SimpleUploadedFile(f"{i}.txt", f"证明材料{i}".encode(), content_type="text/plain") for i in range(6)]
    response = client.post(FILE, grievance_form(org, attachments=many))
    assert "最多上传 5 个文件" in response.content.decode() and Petition.objects.count() == 0

    ok = SimpleUploadedFile("收据.txt", "收据内容".encode(), content_type="text/plain")
    client.post(FILE, grievance_form(org, attachments=[ok]))
    assert Attachment.objects.get().original_name == "收据.txt"


def test_a_proxy_files_for_a_petitioner_with_consent_on_record(client: Client, org: Any) -> None:
    data = grievance_form(
        org,
        is_proxy="on",
        phone="",
        proxy_name="李四",
        proxy_relation="儿子",
        proxy_phone="13900139000",
        consent_method="oral_witness",
        consent_detail="3月2日在家中口头同意，见证人为居委会主任",
        consent_confirm="on",
    )
    client.post(reverse("portal:file", args=["grievance"]), data)
    petition = Petition.objects.get()
    assert petition.is_proxy and petition.proxy_name == "李四" and petition.proxy_phone == "13900139000"
    assert "口头同意，有见证人" in petition.proxy_consent and "见证人为居委会主任" in petition.proxy_consent
    assert petition.petitioners.get().name == "张三"


def test_a_proxy_must_confirm_the_petitioners_consent(client: Client, org: Any) -> None:
    data = grievance_form(org, is_proxy="on", proxy_name="李四", proxy_phone="13900139000")
    response = client.post(FILE, data)
    errors = response.context["form"].errors
    assert "consent_confirm" in errors and "consent_method" in errors
    assert Petition.objects.count() == 0


def test_a_suggestion_needs_no_guidance_step(client: Client, org: Any) -> None:
    data = grievance_form(org, guidance="")
    client.post(reverse("portal:file", args=["suggestion"]), data)
    assert Petition.objects.get().nature == "suggestion"
    assert not PetitionEvent.objects.filter(action="portal_guidance").exists()


def test_accusations_cannot_be_filed_through_the_petition_form(client: Client, org: Any) -> None:
    assert client.post(reverse("portal:file", args=["accusation"]), grievance_form(org)).status_code == 404


def test_an_unticked_declaration_is_named_together_with_every_other_fault(client: Client, org: Any) -> None:
    response = client.post(FILE, grievance_form(org, truthful=None, request="", region=""))
    assert {"truthful", "request", "region"} <= set(response.context["form"].errors)
    assert Petition.objects.count() == 0


def test_the_size_limit_is_the_deployments_and_is_said_and_enforced(client: Client, org: Any, settings: Any) -> None:
    settings.ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    assert "每个不超过 2 MB" in client.get(FILE + "?guidance=none").content.decode()
    big = SimpleUploadedFile("大.txt", b"a" * (2 * 1024 * 1024 + 1), content_type="text/plain")
    response = client.post(FILE, grievance_form(org, attachments=[big]))
    assert "超过了 2 MB 的上限" in response.content.decode() and Petition.objects.count() == 0
