from minsheng.intel.text import jaccard, normalise, shingles


def test_normalise_makes_traditional_full_width_and_padded_text_comparable() -> None:
    portal = "\n\t\t\t\t\n\t\t\t\t開發區ＡＢＣ　噪音\n\t擾民１２３\n"
    assert normalise(portal) == "开发区abc噪音扰民123"


def test_normalise_of_nothing_is_empty() -> None:
    assert normalise("") == ""
    assert normalise(" \n\t ") == ""


def test_shingles_overlap_by_all_but_one_character() -> None:
    assert shingles("噪音扰民") == {"噪音扰", "音扰民"}


def test_a_short_text_is_its_own_shingle() -> None:
    assert shingles("噪音") == {"噪音"}
    assert shingles("") == set()


def test_jaccard_of_padded_copies_is_one_and_of_unrelated_texts_is_zero() -> None:
    a = shingles("小区门口的餐馆油烟扰民")
    assert jaccard(a, shingles("\n\t小区门口的餐館油烟扰民\n")) == 1.0
    assert jaccard(a, shingles("学校强制学生实习")) == 0.0
    assert jaccard(set(), set()) == 0.0
