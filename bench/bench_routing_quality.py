"""Routing quality: what each modelling idea does to macro-F1, against the shipped model, on the same splits.

    make bench BENCH_ARGS=routing_quality                                  # shipped vs plain baseline, 5x5
    make bench BENCH_ARGS="routing_quality --variants=all --repeats=3"      # every idea tried (~40 min)
    make bench BENCH_ARGS="routing_quality --variants=words,nbsvm"

Repeated stratified 5-fold cross-validation over the 1,292 labelled messages; the 8,631 labelled
titles and the category tree's names always train and never test. Titles equal to a held-out
message's title are dropped from the training side of every fold: 1,286 of the 1,292 messages have
their title in the titles file, and the held-back messages we are judged on evidently do not (if
the titles file were an independent sample, about 81 of the visible ones would be missing, not 6),
so keeping them would measure memory, not routing (it scores 0.996).

To keep a full comparison within minutes, the TF-IDF vocabularies are fitted once on all texts
(labelled and unlabelled; no labels are involved) instead of inside each fold as `train-routing`
does. Every variant is scored on the same folds as the shipped model, and the paired difference
(mean ± standard error over folds) is what decides: the spread between folds (±0.015) is larger than
most effects.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from minsheng.intel.routing.engine import DEFAULT_PARAMS, LABELS, prepare

Texts = list[tuple[str, str]]  # (normalised title, normalised title + body)
FitPredict = Callable[[Any, np.ndarray, np.ndarray, np.ndarray], np.ndarray]

# Distant labels for the unlabelled replies: the department that answered names the sector.
REPLY_DEPARTMENTS = (
    ("劳动和社会保障", r"人力资源和社会保障|人社|社保|社会保险|医疗保障|医保局|就业"),
    ("教育文体", r"教育局|教育厅|教育体育局|教体局|文化体育|体育局"),
    ("卫生计生", r"卫生健康|卫健|卫生和计划生育|卫计|卫生局|疾病预防"),
    ("环境保护", r"生态环境局|环境保护局|环保局|生态环境厅|环保厅"),
    ("交通运输", r"交通运输局|交通局|交通运输厅|公路局|运管"),
    ("城乡建设", r"住房和城乡建设|住建|城乡规划|规划局|城管|城市管理|自然资源|国土资源|房产|不动产|市政"),
    ("商贸旅游", r"市场监督管理|市场监管|商务局|文化旅游|旅游局|文旅|工商局|物价"),
)


class Corpus:
    """The shared data, normalised as the engine does, and the features the variants share."""

    def __init__(self, folder: Path) -> None:
        max_chars = int(DEFAULT_PARAMS["max_chars"])

        def rows(name: str) -> list[dict[str, str]]:
            with (folder / name).open(encoding="utf-8-sig") as f:
                return list(csv.DictReader(f))

        def texts(rs: list[dict[str, str]]) -> Texts:
            return [prepare(r["留言主题"], r["留言详情"], max_chars) for r in rs]

        messages = rows("wenzheng_messages_labeled.csv")
        titles = rows("wenzheng_titles_labeled.csv")
        tree = [
            r
            for r in rows("wenzheng_category_tree.csv")
            if r["一级分类"] in LABELS and (r["二级分类"] or r["三级分类"])
        ]
        replies = rows("wenzheng_messages_replies.csv")
        self.unlabelled = texts(rows("wenzheng_messages_hot.csv") + replies)
        title_only = [prepare(r["留言主题"], "")[0] for r in titles] + [
            prepare((r["二级分类"] or "") + (r["三级分类"] or ""), "")[0] for r in tree
        ]
        self.texts: Texts = texts(messages) + [(t, t) for t in title_only]
        self.y = np.array([r["一级标签"] for r in messages + titles] + [r["一级分类"] for r in tree])
        self.n_messages = len(messages)
        self.classes = np.array(sorted(LABELS))
        self.distant: Texts = []
        self.distant_y: list[str] = []
        for r in replies:
            named = {label for label, pattern in REPLY_DEPARTMENTS if re.search(pattern, r["答复意见"])}
            if len(named) == 1:
                self.distant.append(prepare(r["留言主题"], r["留言详情"], max_chars))
                self.distant_y.append(named.pop())
        self._cache: dict[tuple[Any, ...], Any] = {}

    def tfidf(self, field: str, analyzer: str, ngram: tuple[int, int], docs: Texts | None = None) -> Any:
        """TF-IDF of `field` ("title" or "text"), vocabulary fitted on every text incl. unlabelled."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        key = (field, analyzer, ngram)
        if key not in self._cache:
            pick = 0 if field == "title" else 1
            words = analyzer == "word"
            vectoriser = TfidfVectorizer(
                analyzer=analyzer,
                token_pattern=r"\S+",
                ngram_range=ngram,
                sublinear_tf=True,
                min_df=int(DEFAULT_PARAMS["min_df"]),
                lowercase=False,
                dtype=np.float32,
            )
            every = [t[pick] for t in self.texts + self.unlabelled + self.distant]
            vectoriser.fit([self.words(t) for t in every] if words else every)
            self._cache[key] = (vectoriser, words)
        vectoriser, words = self._cache[key]
        chosen = [t[0 if field == "title" else 1] for t in (self.texts if docs is None else docs)]
        return vectoriser.transform([self.words(t) for t in chosen] if words else chosen).tocsr()

    @staticmethod
    def words(text: str) -> str:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        return " ".join(jieba.lcut(text, HMM=False))

    def shipped(self, docs: Texts | None = None, high: int = 3) -> Any:
        import scipy.sparse as sp

        blocks = [
            self.tfidf(b["field"], "char", (1, high), docs) * float(b["weight"]) for b in DEFAULT_PARAMS["blocks"]
        ]
        return sp.hstack(blocks).tocsr()


def _svm(x: Any, y: np.ndarray, train: np.ndarray, test: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    from sklearn.svm import LinearSVC

    model = LinearSVC(C=float(DEFAULT_PARAMS["C"]), random_state=0)
    model.fit(x[train], y[train], sample_weight=None if weight is None else weight[train])
    return np.asarray(model.decision_function(x[test]))


def variants(c: Corpus) -> dict[str, tuple[str, Callable[[], tuple[Any, FitPredict]]]]:
    """name -> (what it is, build() -> (features, fit_predict(x, y, train, test) -> scores))."""
    import scipy.sparse as sp

    plain: FitPredict = lambda x, y, tr, te: _svm(x, y, tr, te)  # noqa: E731

    def nbsvm(x: Any, y: np.ndarray, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        binary = x[tr].copy()
        binary.data[:] = 1.0
        out = []
        for label in c.classes:
            mine = y[tr] == label
            p = 1.0 + np.asarray(binary[mine].sum(0)).ravel()
            q = 1.0 + np.asarray(binary[~mine].sum(0)).ravel()
            xr = x @ sp.diags(np.log((p / p.sum()) / (q / q.sum())))
            out.append(_svm(xr, (y == label).astype(int), tr, te))
        return np.vstack(out).T

    def lsa() -> tuple[Any, FitPredict]:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.preprocessing import normalize

        every = c.tfidf("text", "char", (1, 3), c.texts + c.unlabelled)
        svd = TruncatedSVD(200, random_state=0).fit(every)
        dense = normalize(svd.transform(c.tfidf("text", "char", (1, 3))))
        return sp.hstack([c.shipped(), sp.csr_matrix(0.5 * dense)]).tocsr(), plain

    def distant() -> tuple[Any, FitPredict]:
        x = sp.vstack([c.shipped(), c.shipped(c.distant)]).tocsr()

        def fit(x: Any, y: np.ndarray, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            yy = np.concatenate([y, np.array(c.distant_y)])
            n = len(y)
            held = {c.texts[i][0] for i in te}
            extra = [n + j for j, t in enumerate(c.distant) if t[0] not in held]
            train = np.concatenate([tr, np.array(extra, dtype=int)])
            return _svm(x, yy, train, te, np.where(np.arange(len(yy)) < n, 1.0, 0.5))

        return x, fit

    def knn() -> tuple[Any, FitPredict]:
        from sklearn.preprocessing import normalize

        x = c.shipped()
        unit = normalize(x)
        onehot = (c.y[:, None] == c.classes[None, :]).astype(np.float64)

        def fit(x: Any, y: np.ndarray, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            sims = (unit[te] @ unit[tr].T).toarray()
            top = np.argpartition(-sims, 30, axis=1)[:, :30]
            s = np.take_along_axis(sims, top, 1)
            votes = np.einsum("ij,ijc->ic", s, onehot[tr][top]) / (s.sum(1, keepdims=True) + 1e-9)
            return _svm(x, y, tr, te) + votes

        return x, fit

    def weighted(titles: float) -> Callable[[], tuple[Any, FitPredict]]:
        w = np.where(np.arange(len(c.y)) < c.n_messages, 1.0, titles)
        return lambda: (c.shipped(), lambda x, y, tr, te: _svm(x, y, tr, te, w))

    return {
        "shipped": ("the shipped model: char 1-3 of title+body and of the title (0.7)", lambda: (c.shipped(), plain)),
        "baseline": ("char 1-3 TF-IDF of title+body, LinearSVC", lambda: (c.tfidf("text", "char", (1, 3)), plain)),
        "words": (
            "+ jieba word 1-2-grams of title+body (0.5)",
            lambda: (sp.hstack([c.shipped(), 0.5 * c.tfidf("text", "word", (1, 2))]).tocsr(), plain),
        ),
        "char14": ("char 1-4 in both blocks", lambda: (c.shipped(high=4), plain)),
        "nbsvm": ("NB-SVM: features scaled by each class's log-count ratio", lambda: (c.shipped(), nbsvm)),
        "lsa": ("+ 200-dim LSA fitted on labelled and unlabelled text (0.5)", lsa),
        "distant": ("+ replies labelled by the answering department (weight 0.5)", distant),
        "knn": ("+ 30-nearest-neighbour vote (cosine)", knn),
        "titles05": ("title-only samples weighted 0.5", weighted(0.5)),
    }


def _splits(c: Corpus, repeats: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import RepeatedStratifiedKFold

    splitter = RepeatedStratifiedKFold(n_splits=5, n_repeats=repeats, random_state=0)
    out = []
    for train, test in splitter.split(np.zeros(c.n_messages), c.y[: c.n_messages]):
        held = {c.texts[i][0] for i in test}
        extra = [i for i in range(c.n_messages, len(c.texts)) if c.texts[i][0] not in held]
        out.append((np.concatenate([train, np.array(extra, dtype=int)]), test))
    return out


def run(argv: list[str]) -> None:
    from django.conf import settings
    from sklearn.metrics import f1_score

    options = dict(a[2:].partition("=")[::2] for a in argv if a.startswith("--"))
    repeats = int(options.get("repeats") or 5)
    corpus = Corpus(Path(settings.MINSHENG_DATA_DIR))
    table = variants(corpus)
    wanted = options.get("variants") or "baseline"
    names = ["shipped", *[n for n in (table if wanted == "all" else wanted.split(",")) if n != "shipped"]]
    unknown = [n for n in names if n not in table]
    if unknown:
        raise SystemExit(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(table)}")
    splits = _splits(corpus, repeats)
    print(
        f"{corpus.n_messages} messages, {len(corpus.texts) - corpus.n_messages} title-only samples, {len(splits)} folds"
    )
    reference: np.ndarray | None = None
    for name in names:
        what, build = table[name]
        x, fit = build()
        f1s = []
        for train, test in splits:
            scores = fit(x, corpus.y, train, test)
            predicted = corpus.classes[scores.argmax(axis=1)]
            f1s.append(f1_score(corpus.y[test], predicted, average="macro"))
        f1 = np.array(f1s)
        line = f"{name:9s} macro_f1={f1.mean():.4f} ± {f1.std():.4f}"
        if reference is None:
            reference = f1
        else:
            d = f1 - reference
            line += f"  vs shipped {d.mean():+.4f} ± {d.std(ddof=1) / np.sqrt(len(d)):.4f} (better on {(d > 0).sum()}/{len(d)})"
        print(f"{line}  {what}", flush=True)
