"""Near-duplicate lookup over a large synthetic corpus: latency, recall, precision, index size.

    make bench BENCH_ARGS="neardup"                     # 1,000,000 petitions (first build ~1 h on a busy 2-core machine)
    make bench BENCH_ARGS="neardup --size 20000"        # a quick run

The corpus is generated deterministically from the real portal messages in ../shared/data: each
petition takes a real title and recombines real sentences; one in ten is a planted near-copy of an
earlier one with edits of varying strength (sentences dropped, added or reordered; characters
changed), so true matches span the whole range around the threshold. The queries (default 1,000)
are fresh edited copies of corpus petitions plus one in ten unrelated new texts.

The corpus goes into the benchmark database (var/bench.sqlite3, or BENCH_DATABASE_URL) through
bulk INSERTs of petitions and index rows — the same rows `petition_register` writes, without the
per-petition service — and the exact shingle ids of every petition are cached in
var/bench_neardup/, so a rerun of the same size only queries.

Measured: each query runs the production lookup (`intel.selectors.similar_to_text`: MinHash band
keys, the indexed OR of 24 band equalities, exact Jaccard of the candidates). Ground truth is exact
Jaccard between every query and every corpus petition (all pairs, computed as sparse products in
chunks); the brute-force baseline times one query at a time scanning all cached shingle ids.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import resource
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from minsheng.orgs.models import Unit

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "var" / "bench_neardup"
CORPUS_VERSION = 3  # bump when the generator changes: the cached corpus is then rebuilt
SOURCE = "bench"
ID_BASE = 10_000_000  # bench petitions get ids far above any real one
MESSAGE_FILES = ("wenzheng_messages_hot.csv", "wenzheng_messages_labeled.csv", "wenzheng_messages_replies.csv")
REQUESTS = (
    "请求有关部门依法处理。",
    "希望尽快解决。",
    "请求相关部门调查核实并给予答复。",
    "恳请领导重视，早日解决。",
    "请求依法整治，还居民安宁。",
    "希望政府部门加强监管。",
)


def data_dir() -> Path:
    return Path(os.environ.get("MINSHENG_DATA_DIR", ROOT.parent / "shared" / "data"))


# --- The corpus ---------------------------------------------------------------------------------


class Generator:
    """Petition texts as pure functions of their index (so nothing but ids needs caching)."""

    def __init__(self, seed: int) -> None:
        titles: list[str] = []
        sentences: list[str] = []
        for name in MESSAGE_FILES:
            with open(data_dir() / name, encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    titles.append(row["留言主题"].strip())
                    body = re.sub(r"\s+", "", row["留言详情"])
                    sentences.extend(s for s in re.findall(r"[^。！？!?；;]+[。！？!?；;]?", body) if len(s) >= 8)
        self.titles = sorted(set(t for t in titles if t))
        self.sentences = sorted(set(sentences))
        self.seed = seed

    def _rng(self, kind: int, index: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + kind * 10_000_019 + index)

    def base(self, index: int, kind: int = 0) -> tuple[str, str, str]:
        rng = self._rng(kind, index)
        title = rng.choice(self.titles)
        facts = "".join(rng.choice(self.sentences) for _ in range(rng.randint(2, 7)))
        return title, rng.choice(REQUESTS), facts

    def is_copy(self, index: int) -> bool:
        return index > 0 and self._rng(1, index).random() < 0.1

    def source_of(self, index: int) -> int:
        rng = self._rng(2, index)
        while True:
            # recent and popular petitions are copied more, so some matters have several copies
            candidate = rng.randrange(index) if rng.random() < 0.5 else rng.randrange(max(1, index // 50))
            if not self.is_copy(candidate):
                return candidate

    def edited(self, text: tuple[str, str, str], rng: random.Random) -> tuple[str, str, str]:
        title, request, facts = text
        strength = rng.random()
        parts = re.findall(r"[^。！？!?；;]+[。！？!?；;]?", facts) or [facts]
        if strength > 0.5 and len(parts) > 1:
            parts.pop(rng.randrange(len(parts)))
        if strength > 0.7:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(self.sentences))
        if strength > 0.85:
            rng.shuffle(parts)
        chars = list("".join(parts))
        for _ in range(int(len(chars) * strength * 0.08)):
            spot = rng.randrange(len(chars))
            match rng.randrange(3):
                case 0:
                    chars[spot] = rng.choice(self.sentences)[0]
                case 1:
                    chars.insert(spot, rng.choice("的了在是和也就都"))
                case _:
                    del chars[spot]
        if strength > 0.6:
            title = title + rng.choice(("，急需处理！", "（再次反映）", "", "，请尽快解决"))
        return title, request, "".join(chars)

    def doc(self, index: int) -> tuple[str, str, str]:
        if self.is_copy(index):
            return self.edited(self.base(self.source_of(index)), self._rng(3, index))
        return self.base(index)

    def query(self, number: int, size: int) -> tuple[str, str, str]:
        rng = self._rng(4, number)
        if rng.random() < 0.1:
            return self.base(number, kind=5)  # an unrelated new text
        return self.edited(self.doc(rng.randrange(size)), rng)


def shingle_ids(norm: str) -> np.ndarray:
    """Exact ids of the 3-character shingles of a normalised text (3 code points in 63 bits)."""
    if len(norm) <= 3:
        codes = [ord(c) for c in norm] + [0] * (3 - len(norm))
        return np.array([(codes[0] << 42) | (codes[1] << 21) | codes[2]], dtype=np.uint64)
    cp = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return np.unique((cp[:-2] << np.uint64(42)) | (cp[1:-1] << np.uint64(21)) | cp[2:])


# --- Building -----------------------------------------------------------------------------------


def _meta_path(size: int, seed: int) -> Path:
    return CACHE / f"corpus-{size}-{seed}-v{CORPUS_VERSION}.json"


def _bench_unit() -> Unit:
    from minsheng.core.actors import Actor
    from minsheng.orgs.models import Region, Unit
    from minsheng.orgs.services import region_create, unit_create

    unit = Unit.objects.filter(name="基准测试信访局").first()
    if unit is not None:
        return unit
    region = Region.objects.filter(code="990000").first() or region_create(
        code="990000", name="基准测试省", level=Region.Level.PROVINCE
    )
    return unit_create(
        actor=Actor.system("bench"), name="基准测试信访局", kind=Unit.Kind.PETITION_BUREAU, region=region
    )


def _drop_band_indexes() -> list[str]:
    """Drop the band table's secondary indexes; return the model's statements that recreate them
    (from the model, not the database, so an interrupted build cannot lose them)."""
    from django.db import connection

    from minsheng.intel.models import NearDupSignature
    from minsheng.intel.neardup import BAND_FIELDS

    model_fields = [NearDupSignature._meta.get_field(name) for name in BAND_FIELDS]
    with connection.schema_editor() as editor:
        # the statements migrate would run for these fields' db_index (a private but stable helper)
        statements = [
            str(sql)
            for f in model_fields
            for sql in editor._field_indexes_sql(NearDupSignature, f)  # type: ignore[attr-defined]
        ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'intel_neardupsignature' "
                "AND indexname NOT LIKE '%%pkey'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'intel_neardupsignature' AND sql IS NOT NULL"
            )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
    return statements


def build(gen: Generator, size: int, seed: int) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from minsheng.intel.models import NearDupSignature
    from minsheng.intel.neardup import BAND_FIELDS, band_keys, petition_text, signature, sketch
    from minsheng.intel.text import normalise
    from minsheng.petitions.models import Petition

    started = time.perf_counter()
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"*-{size}-{seed}-*"):
        old.unlink()
    unit = _bench_unit()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB page cache while bulk loading
    # Bench petitions have nothing attached but their index row: plain DELETEs, not the ORM's
    # cascade collector (which loads every row into memory).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM intel_neardupsignature WHERE petition_id >= %s", [ID_BASE])
        cursor.execute("DELETE FROM petitions_petition WHERE source = %s", [SOURCE])
    # Loading 24 random-keyed B-trees row by row rewrites every leaf page each batch (the build
    # slowed to hours); the band indexes are dropped for the load and recreated by sorting after.
    band_indexes = _drop_band_indexes()
    ids_path = CACHE / f"ids-{size}-{seed}.u64"
    offsets = np.zeros(size + 1, dtype=np.int64)
    now = timezone.now()
    epoch = now - dt.timedelta(days=3 * 365)
    batch = 10_000
    with open(ids_path, "wb") as ids_file:
        for start in range(0, size, batch):
            petitions, signatures = [], []
            for i in range(start, min(size, start + batch)):
                title, request, facts = gen.doc(i)
                pk = ID_BASE + i
                petitions.append(
                    Petition(
                        pk=pk,
                        number=f"BENCH-{i:08d}",
                        channel="online",
                        nature="grievance",
                        title=title[:200],
                        request=request,
                        facts=facts,
                        received_at=epoch + dt.timedelta(seconds=i * 90),
                        registered_at=now,
                        registering_unit=unit,
                        handling_unit=unit,
                        query_code_hash=f"bench-{seed}-{i}",
                        identity_incomplete=True,
                        source=SOURCE,
                        source_ref=str(i),
                    )
                )
                norm = normalise(petition_text(title[:200], request, facts))
                grams = {norm[j : j + 3] for j in range(len(norm) - 2)} if len(norm) > 3 else {norm}
                values = signature(grams)
                keys = band_keys(values)
                signatures.append(
                    NearDupSignature(petition_id=pk, sketch=sketch(values), **dict(zip(BAND_FIELDS, keys, strict=True)))
                )
                ids = shingle_ids(norm)
                ids_file.write(ids.tobytes())
                offsets[i + 1] = offsets[i] + len(ids)
            with transaction.atomic():
                Petition.objects.bulk_create(petitions, batch_size=1000)
                NearDupSignature.objects.bulk_create(signatures, batch_size=1000)
            if (start // batch) % 10 == 0:
                elapsed = time.perf_counter() - started
                print(f"  built {start + len(petitions):,} / {size:,} in {elapsed:.0f} s", flush=True)
    print(f"  loaded {size:,} rows in {time.perf_counter() - started:.0f} s; creating the band indexes", flush=True)
    with connection.cursor() as cursor:
        for statement in band_indexes:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            # VACUUM too: a freshly bulk-loaded table has no hint bits or visibility map yet, so
            # the first reads of every page write it back (measured: p99 6.9 ms before, 5.6 after).
            cursor.execute("VACUUM (ANALYZE) intel_neardupsignature")
            cursor.execute("VACUUM (ANALYZE) petitions_petition")
        else:
            cursor.execute("ANALYZE")
    np.save(CACHE / f"offsets-{size}-{seed}.npy", offsets)
    seconds = time.perf_counter() - started
    _meta_path(size, seed).write_text(json.dumps({"size": size, "seed": seed, "build_seconds": seconds}))
    return seconds


def fill_sketches(gen: Generator, size: int) -> float:
    """Give a corpus cached before sketches existed its sketches (recomputed from the generator)."""
    from django.db import connection, transaction

    from minsheng.intel.models import NearDupSignature
    from minsheng.intel.neardup import petition_text, signature, sketch
    from minsheng.intel.text import normalise

    missing = NearDupSignature.objects.filter(petition_id__gte=ID_BASE, sketch=b"").count()
    if not missing:
        return 0.0
    print(f"  the cached corpus has no sketches: computing {missing:,}", flush=True)
    started = time.perf_counter()
    table = connection.ops.quote_name(NearDupSignature._meta.db_table)
    batch = 10_000
    for start in range(0, size, batch):
        updates = []
        for i in range(start, min(size, start + batch)):
            title, request, facts = gen.doc(i)
            norm = normalise(petition_text(title[:200], request, facts))
            grams = {norm[j : j + 3] for j in range(len(norm) - 2)} if len(norm) > 3 else {norm}
            updates.append((sketch(signature(grams)), ID_BASE + i))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {table} SET sketch = %s WHERE petition_id = %s", updates)  # nosec B608
        if (start // batch) % 10 == 0:
            print(
                f"  sketched {start + len(updates):,} / {size:,} in {time.perf_counter() - started:.0f} s", flush=True
            )
    return time.perf_counter() - started


def corpus_ready(size: int, seed: int) -> bool:
    from minsheng.intel.models import NearDupSignature

    if not _meta_path(size, seed).exists():
        return False
    # the database may have been replaced since: trust the cache only if the rows are there
    rows = NearDupSignature.objects.filter(petition_id__gte=ID_BASE).count()
    return rows == size


# --- Measuring ----------------------------------------------------------------------------------


def index_bytes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_relation_size('intel_neardupsignature'), pg_indexes_size('intel_neardupsignature')"
            )
            table, indexes = cursor.fetchone()
            return {"table": int(table), "indexes": int(indexes)}
        cursor.execute(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name = 'intel_neardupsignature' "
            "OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'intel_neardupsignature' AND type = 'index') "
            "GROUP BY name"
        )
        sizes = dict(cursor.fetchall())
    table = int(sizes.pop("intel_neardupsignature", 0))
    return {"table": table, "indexes": int(sum(sizes.values()))}


def rss() -> tuple[int, int]:
    """(current, peak) resident set size of this process in bytes."""
    current = 0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) * 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def load_ids(size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    ids = np.memmap(CACHE / f"ids-{size}-{seed}.u64", dtype=np.uint64, mode="r")
    return ids, np.load(CACHE / f"offsets-{size}-{seed}.npy")


def truth_pairs(
    query_ids: list[np.ndarray], ids: np.ndarray, offsets: np.ndarray, threshold: float
) -> list[dict[int, float]]:
    """Exact Jaccard ≥ threshold between every query and every corpus petition (all pairs)."""
    from scipy import sparse

    vocab = np.unique(np.concatenate(query_ids))
    q_rows = np.concatenate([np.full(len(q), n, dtype=np.int64) for n, q in enumerate(query_ids)])
    q_cols = np.searchsorted(vocab, np.concatenate(query_ids))
    q_matrix = sparse.csr_matrix(
        (np.ones(len(q_rows), dtype=np.int32), (q_rows, q_cols)), shape=(len(query_ids), len(vocab))
    )
    q_sizes = np.array([len(q) for q in query_ids], dtype=np.int64)
    truth: list[dict[int, float]] = [{} for _ in query_ids]
    size = len(offsets) - 1
    chunk = 50_000
    for start in range(0, size, chunk):
        stop = min(size, start + chunk)
        block = np.asarray(ids[offsets[start] : offsets[stop]])
        lengths = np.diff(offsets[start : stop + 1])
        rows = np.repeat(np.arange(stop - start), lengths)
        cols = np.minimum(np.searchsorted(vocab, block), len(vocab) - 1)
        keep = vocab[cols] == block
        c_matrix = sparse.csr_matrix(
            (np.ones(int(keep.sum()), dtype=np.int32), (rows[keep], cols[keep])), shape=(stop - start, len(vocab))
        )
        inter = (c_matrix @ q_matrix.T).tocoo()
        union = lengths[inter.row] + q_sizes[inter.col] - inter.data
        score = inter.data / union
        for r, q, s in zip(
            inter.row[score >= threshold], inter.col[score >= threshold], score[score >= threshold], strict=True
        ):
            truth[int(q)][ID_BASE + start + int(r)] = float(s)
    return truth


def brute_force_one(query: np.ndarray, ids: np.ndarray, offsets: np.ndarray, threshold: float) -> dict[int, float]:
    """One query against every petition: the exact scan an index saves (numpy over cached ids)."""
    found: dict[int, float] = {}
    size = len(offsets) - 1
    chunk = 200_000
    for start in range(0, size, chunk):
        stop = min(size, start + chunk)
        block = np.asarray(ids[offsets[start] : offsets[stop]])
        pos = np.minimum(np.searchsorted(query, block), len(query) - 1)
        hit = (query[pos] == block).astype(np.int32)
        starts = offsets[start:stop] - offsets[start]
        inter = np.add.reduceat(hit, starts) if len(block) else np.zeros(stop - start, dtype=np.int32)
        inter[np.diff(offsets[start : stop + 1]) == 0] = 0
        score = inter / (np.diff(offsets[start : stop + 1]) + len(query) - inter)
        for r in np.nonzero(score >= threshold)[0]:
            found[ID_BASE + start + int(r)] = float(score[r])
    return found


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values), p))


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench neardup")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--baseline-queries", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    from minsheng.intel.neardup import BANDS, NUM_PERM, ROWS, THRESHOLD, petition_text
    from minsheng.intel.selectors import similar_to_text
    from minsheng.intel.text import normalise

    if not (data_dir() / MESSAGE_FILES[0]).exists():
        print(f"neardup: skipped, {data_dir()} has no {MESSAGE_FILES[0]} (set MINSHENG_DATA_DIR)")
        return
    gen = Generator(args.seed)
    print(
        f"corpus: {args.size:,} petitions from {len(gen.titles):,} real titles and {len(gen.sentences):,} real sentences"
    )
    print(
        f"index: {NUM_PERM} permutations = {BANDS} bands × {ROWS} rows, 3-character shingles, threshold J ≥ {THRESHOLD}"
    )
    if args.rebuild or not corpus_ready(args.size, args.seed):
        seconds = build(gen, args.size, args.seed)
        print(
            f"built the corpus and its index in {seconds:.0f} s (cached in {CACHE.relative_to(ROOT)}; reruns skip this)"
        )
    else:
        meta = json.loads(_meta_path(args.size, args.seed).read_text())
        print(f"corpus cached (its first build took {meta['build_seconds']:.0f} s)")
        sketched = fill_sketches(gen, args.size)
        if sketched:
            print(f"  sketched the cached corpus in {sketched:.0f} s")

    texts = [petition_text(*gen.query(n, args.size)) for n in range(args.queries)]
    for n in range(20):  # warm the page cache and the code paths; not counted
        similar_to_text(petition_text(*gen.query(args.queries + n, args.size)))
    latencies, cpu, found = [], [], []
    for text in texts:
        started, started_cpu = time.perf_counter(), time.process_time()
        matches = similar_to_text(text)
        latencies.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        found.append({m.petition_id: m.score for m in matches if m.petition_id >= ID_BASE})
    current_rss, peak_rss = rss()
    sizes = index_bytes()

    ids, offsets = load_ids(args.size, args.seed)
    query_ids = [shingle_ids(normalise(t)) for t in texts]
    started = time.perf_counter()
    truth = truth_pairs(query_ids, ids, offsets, THRESHOLD)
    truth_seconds = time.perf_counter() - started
    baseline = []
    for n in range(min(args.baseline_queries, len(texts))):
        started = time.perf_counter()
        exact = brute_force_one(query_ids[n], ids, offsets, THRESHOLD)
        baseline.append(time.perf_counter() - started)
        assert set(exact) == set(truth[n]), "the two exact methods disagree"

    true_total = sum(len(t) for t in truth)
    hit = sum(len(set(f) & set(t)) for f, t in zip(found, truth, strict=True))
    returned = sum(len(f) for f in found)
    recall = hit / true_total if true_total else 1.0
    precision = hit / returned if returned else 1.0
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    base = sum(baseline) / len(baseline) if baseline else float("nan")
    mib = 1024 * 1024
    print(f"queries: {len(texts):,} ({sum(1 for t in truth if t):,} with true matches, {true_total:,} true pairs)")
    print(f"latency per query: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, max {max(latencies) * 1000:.2f} ms")
    print(
        f"  CPU time per query: p50 {percentile(cpu, 50) * 1000:.2f} ms, p99 {percentile(cpu, 99) * 1000:.2f} ms "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall time includes waiting for a core)"
    )
    print(
        f"recall: {recall:.4f}  precision: {precision:.4f}  (exact Jaccard over all pairs took {truth_seconds:.0f} s)"
    )
    print(
        f"index on disk: {(sizes['table'] + sizes['indexes']) / mib:.0f} MiB "
        f"(rows {sizes['table'] / mib:.0f} MiB + band indexes {sizes['indexes'] / mib:.0f} MiB)"
    )
    print(f"process RSS after the queries: {current_rss / mib:.0f} MiB (peak {peak_rss / mib:.0f} MiB)")
    print(
        f"brute force (exact scan of {args.size:,} cached shingle sets): {base * 1000:.0f} ms per query over {len(baseline)} queries"
    )
    print(
        f"neardup: p99 {p99 * 1000:.2f} ms per query ({base / p99:.0f} × faster than brute force's {base * 1000:.0f} ms)"
    )
