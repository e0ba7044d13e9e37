"""Hot-topic mining: places, heat, and whole topics found in a file (synthetic and the real one)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from minsheng.intel.topics.mining import heat_of, peak_within, places_in

HEADER = "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数\n"


def _at(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2019, 5, 1) + dt.timedelta(days=day))


def test_it_finds_masked_districts_and_named_estates_roads_and_schools() -> None:
    masked, named = places_in("A5区劳动东路魅力之城小区底层餐馆油烟扰民，K8县涉外经济学院")
    assert masked == ["A5区", "K8县"]
    assert named == ["劳动东路", "魅力之城小区", "涉外经济学院"]


def test_a_phrase_ending_like_a_place_is_not_a_place() -> None:
    _masked, named = places_in("大量油烟排入小区，学生必须去学校")
    assert named == []


def test_the_burst_is_the_most_messages_within_thirty_days() -> None:
    times = [_at(0), _at(10), _at(29), _at(31), _at(200)]
    assert peak_within(30, times) == 3
    assert peak_within(30, []) == 0


def test_independent_voices_weigh_more_than_one_person_writing_again() -> None:
    many = heat_of(size=6, users=6, peak_30d=2, votes=0)
    one = heat_of(size=6, users=2, peak_30d=2, votes=0)
    burst = heat_of(size=6, users=6, peak_30d=6, votes=0)
    assert many > one
    assert burst > many
    assert heat_of(size=6, users=6, peak_30d=2, votes=100) > many


def _synthetic(tmp_path: Path) -> Path:
    rows = []
    # Topic A: a garbage station at one estate, six people, a burst in May (padding and both date styles)
    garbage = [
        ("阳光花园小区垃圾站臭味熏天", "A3区阳光花园小区门口的垃圾站夏天臭味熏天，苍蝇成群，请求搬迁垃圾站。"),
        ("A3区阳光花园小区垃圾站臭气扰民", "阳光花园小区垃圾站离居民楼太近，臭气熏天，垃圾清运不及时。"),
        ("请搬迁阳光花园小区的垃圾站", "\n\t\t\t\t我是A3区阳光花园小区业主，小区垃圾站臭味严重，请求搬迁。"),
        ("阳光花园小区垃圾站臭味问题", "A3区阳光花园小区垃圾站每天臭味熏天，垃圾站清运车半夜作业。"),
        ("阳光花园垃圾站臭味影响生活", "阳光花园小区的垃圾站臭味太大，夏天无法开窗，请求搬迁垃圾站。"),
        ("A3区阳光花园小区垃圾站污水横流", "阳光花园小区垃圾站污水横流臭味熏天，垃圾站应当搬迁。"),
    ]
    for i, (title, body) in enumerate(garbage):
        date = f"2019/5/{i + 3} 9:3{i}:09" if i % 2 else f"2019-05-{i + 3:02d} 10:00:00"
        rows.append((f"10{i}", f"U{i}", title, date, body, 0, i))
    # Topic B: night construction on one road, four people, spread over months
    noise = [
        ("红星路工地夜间施工噪音扰民", "B2区红星路工地每天夜间施工到凌晨，噪音扰民，无法入睡。"),
        ("B2区红星路夜间施工噪音太大", "红星路工地夜间施工噪音太大，严重影响居民休息。"),
        ("红星路工地半夜施工扰民", "B2区红星路的工地半夜施工，噪音扰民，请求查处夜间施工。"),
        ("投诉红星路工地夜间噪音", "红星路工地夜间施工噪音扰民，多次投诉无果。"),
    ]
    for i, (title, body) in enumerate(noise):
        rows.append((f"20{i}", f"V{i}", title, f"2019/{i + 1}/15 20:00:00", body, 1, 0))
    # unrelated one-offs, and one person writing twice about their own matter (not a topic)
    rows += [
        ("301", "W1", "咨询社保卡补办流程", "2019/5/2 9:00:00", "社保卡丢失了怎么补办？", 0, 0),
        ("302", "W2", "建议增加公交线路", "2019/5/3 9:00:00", "希望开通到高铁站的公交。", 0, 0),
        ("303", "W3", "幼儿园收费过高", "2019/5/4 9:00:00", "某幼儿园收费远高于标准。", 0, 0),
        ("304", "W4", "我家楼上漏水物业不管", "2019/5/5 9:00:00", "楼上漏水物业不管。", 0, 0),
        ("305", "W4", "我家楼上漏水物业还是不管", "2019/5/9 9:00:00", "楼上漏水物业不管。", 0, 0),
    ]
    lines = [HEADER] + [",".join(f'"{v}"' for v in row) + "\n" for row in rows]
    path = tmp_path / "hot.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_the_command_finds_each_concrete_problem_as_one_topic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("hot-topics", data=str(_synthetic(tmp_path)), top=10, format="json")
    result = json.loads(capsys.readouterr().out)
    assert result["messages"] == 15
    topics = result["topics"]
    assert [sorted(t["ids"]) for t in topics] == [
        ["100", "101", "102", "103", "104", "105"],
        ["200", "201", "202", "203"],
    ]
    garbage, noise = topics
    assert garbage["places"][0] == {"name": "阳光花园小区", "count": 6}
    assert {"name": "A3区", "count": 5} in garbage["places"]
    assert "垃圾站" in garbage["keywords"] and "臭味" in garbage["keywords"]
    assert garbage["monthly"] == {"2019-05": 6}
    assert garbage["peak_30d"] == 6 and garbage["users"] == 6 and garbage["votes"] == 15
    assert noise["monthly"] == {"2019-01": 1, "2019-02": 1, "2019-03": 1, "2019-04": 1}
    assert garbage["heat"] > noise["heat"]
    assert len(garbage["titles"]) == 5


@pytest.mark.django_db
def test_the_text_report_names_the_topics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("hot-topics", data=str(_synthetic(tmp_path)), top=1)
    out = capsys.readouterr().out
    assert "15 条留言，1 个热点" in out
    assert "阳光花园小区(6)" in out and "红星路" not in out


def test_a_file_without_the_needed_columns_is_refused_with_the_columns_named(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("编号,标题\n1,路灯不亮\n", encoding="utf-8")
    with pytest.raises(CommandError, match="文件缺少列：留言编号、留言主题、留言时间。"):
        call_command("hot-topics", data=str(path))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("hot-topics", data=str(tmp_path / "none.csv"))


@pytest.mark.data
@pytest.mark.django_db
def test_both_gold_topics_of_the_portal_file_are_in_the_top_ten_each_as_one_topic(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """../shared/data/README.md: 360100–360109 (an estate's street restaurants, fumes and noise) and
    360110–360114 (a college forcing students into internships) must each be one top-10 topic
    holding at least 80 % of their ids."""
    call_command("hot-topics", data=str(data_dir / "wenzheng_messages_hot.csv"), top=10, format="json")
    topics = json.loads(capsys.readouterr().out)["topics"]
    assert len(topics) == 10
    for gold in ({str(i) for i in range(360100, 360110)}, {str(i) for i in range(360110, 360115)}):
        best = max(len(gold & set(t["ids"])) / len(gold) for t in topics)
        assert best >= 0.8, (sorted(gold)[0], best)
