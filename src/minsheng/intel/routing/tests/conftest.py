"""A small labelled corpus written by the tests: seven classes, each with its own vocabulary."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from minsheng.intel.routing.datasets import MESSAGE_COLUMNS

TOPICS: dict[str, list[str]] = {
    "城乡建设": ["小区物业", "房屋漏水", "拆迁补偿", "违章建筑", "路灯维修", "老旧小区改造"],
    "劳动和社会保障": ["拖欠工资", "社保缴纳", "养老保险", "劳动合同", "工伤认定", "失业保险金"],
    "教育文体": ["学校收费", "教师补课", "幼儿园入学", "学生课业负担", "图书馆开放", "中考招生"],
    "商贸旅游": ["商家欺诈", "景区门票", "超市价格", "旅行社退款", "预付卡跑路", "市场摊位"],
    "卫生计生": ["医院收费", "医生态度", "疫苗接种", "二胎生育证", "药品价格", "诊所无证行医"],
    "环境保护": ["工厂排污", "河道污染", "噪音扰民", "垃圾焚烧臭气", "油烟污染", "粉尘污染"],
    "交通运输": ["公交线路", "出租车拒载", "道路拥堵", "红绿灯设置", "高速收费", "网约车"],
}
PLACES = ["A市A3区", "A市A5区", "A市A7县", "B市", "C市C2区", "K8县", "A市A2区", "D市"]


def write_messages(path: Path, *, per_class: int = 8, start: int = 0, labels: dict[str, str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(MESSAGE_COLUMNS)
        n = start
        for label, words in TOPICS.items():
            for i in range(per_class):
                word = words[(i + start) % len(words)]
                other = words[(i + start + 1) % len(words)]
                place = PLACES[(i + start) % len(PLACES)]
                n += 1
                writer.writerow(
                    [
                        str(1000 + n),
                        f"U{n:07d}",
                        f"关于{place}{word}的问题",
                        "2019/1/8 9:32:09",
                        f"\n\t\t\t\t\t\n\t\t\t\t\t{place}{word}问题严重，{other}也没人管，请尽快解决{word}。\n\t\t\t\t\n",
                        (labels or {}).get(label, label),
                    ]
                )
    return path


def write_titles(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["留言主题", "一级标签"])
        for label, words in TOPICS.items():
            for word in words:
                writer.writerow([f"{word}怎么办", label])
    return path


@pytest.fixture
def corpus(tmp_path: Path, settings: Any) -> Path:
    """A data folder laid out like ../shared/data, and set as the default one."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_messages(folder / "wenzheng_messages_labeled.csv")
    write_titles(folder / "wenzheng_titles_labeled.csv")
    settings.MINSHENG_DATA_DIR = folder
    return folder
