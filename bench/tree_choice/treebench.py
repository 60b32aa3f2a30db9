"""Adjacency list (WITH RECURSIVE) vs django-treebeard MP_Node benchmark.
Usage: python treebench.py pg | sqlite
"""
import os, sys, time, statistics, json, warnings
from decimal import Decimal
from functools import reduce
import operator

BACKEND = sys.argv[1] if len(sys.argv) > 1 else "pg"
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import django
from django.conf import settings

DBS = {
    "pg": {"ENGINE": "django.db.backends.postgresql", "NAME": "treebench",
           "USER": "postgres", "HOST": "127.0.0.1", "PORT": "5432"},
    "sqlite": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(HERE, "treebench.sqlite3")},
}
settings.configure(DEBUG=False, INSTALLED_APPS=["tree_models"], DATABASES={"default": DBS[BACKEND]},
                   USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.BigAutoField")
django.setup()

from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.db.models.expressions import RawSQL
from tree_models.models import AdjNode, MPNode
from treebeard.exceptions import InvalidMoveToDescendant

RUNS, WARMUP = 20, 3
RESULTS = {}


def bench(label, fn, runs=RUNS, warmup=WARMUP):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(ts)
    RESULTS[label] = round(med, 3)
    print(f"  {label:<45} median {med:8.3f} ms  (min {min(ts):.3f}, max {max(ts):.3f})")
    return med


def timed_rollback(label, fn, runs=RUNS, warmup=WARMUP):
    """fn runs inside a transaction that is rolled back; only fn is timed."""
    def once():
        with transaction.atomic():
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
            transaction.set_rollback(True)
        return dt * 1000
    for _ in range(warmup):
        once()
    ts = [once() for _ in range(runs)]
    med = statistics.median(ts)
    RESULTS[label] = round(med, 3)
    print(f"  {label:<45} median {med:8.3f} ms  (min {min(ts):.3f}, max {max(ts):.3f})")


# ---------------------------------------------------------------- data shape
def build_spec():
    """Nested list of {'name','kind','children'}; exactly 50,000 nodes.
    999 small groups (48 or 49 nodes, 4 levels) + 1 big group of 2,000 nodes, 12 levels."""
    counter = [0]

    def mk(kind, children=()):
        counter[0] += 1
        return {"name": f"n{counter[0]}", "kind": kind, "children": list(children)}

    groups = []
    for g in range(999):
        extra = 1 if g >= 999 - 48 else 0          # 951*48 + 48*49 = 48,000
        root = mk("group")
        l2 = [mk("division") for _ in range(3)]
        l3 = [mk("company") for _ in range(9)]
        n4 = [4] * 8 + [3 + extra]                   # 35 or 36 leaves
        for i, c in enumerate(l3):
            c["children"] = [mk("account") for _ in range(n4[i])]
        for i, d in enumerate(l2):
            d["children"] = l3[i * 3:(i + 1) * 3]
        root["children"] = l2
        groups.append(root)

    # big group: depth1 root, 2 @d2, 5 @d3, 10 @d4 (each heads a 196-node subtree down to d12),
    # plus 32 extra leaves under d3 nodes -> 1 + 2 + 5 + 1960 + 32 = 2000
    big = mk("group")
    d2 = [mk("division") for _ in range(2)]
    d3 = [mk("company") for _ in range(5)]
    big["children"] = d2
    d2[0]["children"] = d3[:3]
    d2[1]["children"] = d3[3:]
    per_level = [1, 2, 4, 8, 16, 32, 45, 45, 43]      # depths 4..12, sum 196
    d4 = []
    for k in range(10):
        levels = []
        for depth_idx, cnt in enumerate(per_level):
            lvl = [mk("company" if depth_idx < 8 else "account") for _ in range(cnt)]
            if levels:
                prev = levels[-1]
                for i, n in enumerate(lvl):
                    prev[i % len(prev)]["children"].append(n)
            levels.append(lvl)
        d4.append(levels[0][0])
    for i, n in enumerate(d4):
        d3[i % 5]["children"].append(n)
    for i in range(32):
        d3[i % 5]["children"].append(mk("account"))
    groups.append(big)
    assert counter[0] == 50_000, counter[0]
    return groups


def share(i):
    return None if i % 3 == 0 else Decimal(i % 100) / Decimal(100)


# ---------------------------------------------------------------- schema / load
def reset_schema(models_):
    with connection.schema_editor() as se:
        for m in reversed(models_):
            se.execute(f"DROP TABLE IF EXISTS {se.quote_name(m._meta.db_table)}" + (" CASCADE" if connection.vendor == "postgresql" else ""))
        for m in models_:
            se.create_model(m)


def load_adj(spec):
    objs = []
    nid = [0]

    def walk(node, parent_id):
        nid[0] += 1
        my = nid[0]
        objs.append(AdjNode(id=my, parent_id=parent_id, name=node["name"], kind=node["kind"],
                            ownership_share=share(my)))
        for c in node["children"]:
            walk(c, my)

    for g in spec:
        walk(g, None)
    t0 = time.perf_counter()
    with transaction.atomic():
        AdjNode.objects.bulk_create(objs, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SELECT setval(pg_get_serial_sequence('bench_adjnode','id'), (SELECT max(id) FROM bench_adjnode))")
    return (time.perf_counter() - t0) * 1000


def load_mp(spec):
    cnt = [0]

    def conv(node):
        cnt[0] += 1
        return {"data": {"name": node["name"], "kind": node["kind"], "ownership_share": share(cnt[0])},
                "children": [conv(c) for c in node["children"]]}

    data = [conv(g) for g in spec]
    t0 = time.perf_counter()
    MPNode.objects.load_bulk(data, bulk_create=True, batch_size=5000)
    return (time.perf_counter() - t0) * 1000


# ---------------------------------------------------------------- adjacency SQL
T = "bench_adjnode"
SUBTREE_SQL = f"""
WITH RECURSIVE t(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM {T} WHERE id = %s
  UNION ALL
    SELECT c.id, c.parent_id, t.depth + 1 FROM {T} c JOIN t ON c.parent_id = t.id
) SELECT id, parent_id, depth FROM t"""
ANCESTORS_SQL = f"""
WITH RECURSIVE a(id, parent_id, lvl) AS (
    SELECT id, parent_id, 0 FROM {T} WHERE id = %s
  UNION ALL
    SELECT p.id, p.parent_id, a.lvl + 1 FROM {T} p JOIN a ON p.id = a.parent_id
) SELECT id, parent_id, lvl FROM a WHERE lvl > 0 ORDER BY lvl DESC"""
# cycle check as specified: is new parent inside node's subtree (walks down ~200 rows)
CYCLE_DOWN_SQL = f"""
WITH RECURSIVE sub(id) AS (
    SELECT id FROM {T} WHERE id = %s
  UNION ALL
    SELECT c.id FROM {T} c JOIN sub ON c.parent_id = sub.id
) SELECT EXISTS (SELECT 1 FROM sub WHERE id = %s)"""
# equivalent check walking *up* from the new parent (<= depth rows)
CYCLE_UP_SQL = f"""
WITH RECURSIVE up(id, parent_id) AS (
    SELECT id, parent_id FROM {T} WHERE id = %s
  UNION ALL
    SELECT p.id, p.parent_id FROM {T} p JOIN up ON p.id = up.parent_id
) SELECT EXISTS (SELECT 1 FROM up WHERE id = %s)"""
VIS_SUBQ = f"""
WITH RECURSIVE v(id) AS (
    SELECT id FROM {T} WHERE id IN (%s, %s, %s, %s, %s)
  UNION ALL
    SELECT c.id FROM {T} c JOIN v ON c.parent_id = v.id
) SELECT id FROM v"""


class CycleError(Exception):
    pass


def q(sql, params):
    with connection.cursor() as c:
        c.execute(sql, params)
        return c.fetchall()


def adj_subtree(root_id):
    return q(SUBTREE_SQL, [root_id])


def adj_ancestors(node_id):
    return q(ANCESTORS_SQL, [node_id])


def adj_visible_count(root_ids):
    return AdjNode.objects.filter(id__in=RawSQL(VIS_SUBQ, list(root_ids))).count()


def adj_move(node_id, new_parent_id, check="down"):
    with transaction.atomic():
        if check == "down":
            bad = q(CYCLE_DOWN_SQL, [node_id, new_parent_id])[0][0]
        else:
            bad = q(CYCLE_UP_SQL, [new_parent_id, node_id])[0][0]
        if bad:
            raise CycleError(f"{new_parent_id} is inside subtree of {node_id}")
        AdjNode.objects.filter(id=node_id).update(parent_id=new_parent_id)


# ---------------------------------------------------------------- MP helpers
def mp_subtree_api(node):
    return list(MPNode.objects.get_tree(node).values_list("id", "path", "depth"))


def mp_subtree_raw(path):
    return q("SELECT id, path, depth FROM bench_mpnode WHERE path LIKE %s ORDER BY path", [path + "%"])


def mp_ancestors_api(node):
    return list(MPNode.objects.get_ancestors(node).values_list("id", "path", "depth"))


def mp_visible_count(root_ids):
    paths = MPNode.objects.filter(id__in=root_ids).values_list("path", flat=True)
    cond = reduce(operator.or_, [Q(path__startswith=p) for p in paths])
    return MPNode.objects.filter(id__in=MPNode.objects.filter(cond).values("id")).count()


def mp_move(node_id, target_id):
    node = MPNode.objects.get(id=node_id)
    target = MPNode.objects.get(id=target_id)
    MPNode.objects.move(node, target, "last-child")


# ---------------------------------------------------------------- main
def main():
    spec = build_spec()
    big_name = spec[-1]["name"]
    # pick benchmark nodes by name (names are identical in both trees)
    big = spec[-1]
    d3 = [c for d in big["children"] for c in d["children"]]
    d4 = [c for n in d3 for c in n["children"] if c["children"]]   # the 10 subtree heads
    mid_name = d4[0]["name"]                        # ~195 descendants, for (b)
    move_name = d4[1]["name"]                       # ~196 nodes moved, for (e)

    def deepest(n, depth=1):
        if not n["children"]:
            return n, depth
        return max((deepest(c, depth + 1) for c in n["children"]), key=lambda x: x[1])
    leaf, leaf_depth = deepest(d4[0], 4)
    # new parent: depth-5 node under a different d3 branch (d4[2] is under d3[2])
    target_name = d4[2]["children"][0]["name"]
    # refused move: a depth-8 node inside move_name's own subtree
    inside = d4[1]
    for _ in range(4):
        inside = inside["children"][0]
    inside_name = inside["name"]
    vis_names = [spec[0]["name"], spec[10]["name"], spec[500]["name"], spec[998]["name"], mid_name]

    models_ = [AdjNode] if BACKEND == "sqlite" else [AdjNode, MPNode]
    reset_schema(models_)
    print(f"== backend {connection.vendor} ==")
    RESULTS["load_adj_ms"] = round(load_adj(spec), 1)
    print(f"  load adj (bulk_create 50k)                   {RESULTS['load_adj_ms']:.1f} ms")
    if BACKEND == "pg":
        RESULTS["load_mp_ms"] = round(load_mp(spec), 1)
        print(f"  load MP (objects.load_bulk bulk_create=True) {RESULTS['load_mp_ms']:.1f} ms")
        with connection.cursor() as c:
            c.execute("ANALYZE bench_adjnode; ANALYZE bench_mpnode")
    A = {n: i for n, i in AdjNode.objects.values_list("name", "id")}
    assert len(A) == 50_000
    a_big, a_mid, a_leaf, a_move, a_target, a_inside = (A[x] for x in (big_name, mid_name, leaf["name"], move_name, target_name, inside_name))
    a_vis = [A[x] for x in vis_names]
    print(f"  leaf depth {leaf_depth}; subtree sizes: big={len(adj_subtree(a_big))} mid={len(adj_subtree(a_mid))} "
          f"moved={len(adj_subtree(a_move))}; ancestors={len(adj_ancestors(a_leaf))}")

    bench("a adj subtree big group", lambda: adj_subtree(a_big))
    if BACKEND == "pg":
        bench("b adj subtree mid node", lambda: adj_subtree(a_mid))
    bench("c adj ancestors deepest leaf", lambda: adj_ancestors(a_leaf))
    if BACKEND == "pg":
        n_vis = adj_visible_count(a_vis)
        print(f"  visible count (adj) = {n_vis}")
        bench("d adj visibility count", lambda: adj_visible_count(a_vis))
    timed_rollback("e adj move (cycle check down)", lambda: adj_move(a_move, a_target, "down"))
    timed_rollback("e adj move (cycle check up)", lambda: adj_move(a_move, a_target, "up"))
    # sanity: move actually lands
    with transaction.atomic(), CaptureQueriesContext(connection) as cq:
        adj_move(a_move, a_target)
        print(f"  adj move: {len(cq.captured_queries)} SQL statements incl. savepoint")
        after = adj_ancestors(a_move)
        assert A[target_name] in [r[0] for r in after]
        transaction.set_rollback(True)

    def refused_adj(check):
        def f():
            try:
                adj_move(a_move, a_inside, check)
            except CycleError:
                return
            raise AssertionError("cycle not detected")
        return f
    if BACKEND == "pg":
        bench("f adj refused move (down)", refused_adj("down"))
        bench("f adj refused move (up)", refused_adj("up"))

    if BACKEND == "pg":
        M = {n: i for n, i in MPNode.objects.values_list("name", "id")}
        m_big, m_mid, m_leaf, m_move, m_target, m_inside = (M[x] for x in (big_name, mid_name, leaf["name"], move_name, target_name, inside_name))
        m_vis = [M[x] for x in vis_names]
        nb, nm, nl = (MPNode.objects.get(id=i) for i in (m_big, m_mid, m_leaf))
        print(f"  MP sizes: big={len(mp_subtree_api(nb))} mid={len(mp_subtree_api(nm))} anc={len(mp_ancestors_api(nl))} "
              f"leaf path len={len(nl.path)} depth={nl.depth}")
        n_vis_mp = mp_visible_count(m_vis)
        assert n_vis_mp == n_vis, (n_vis_mp, n_vis)
        bench("a mp subtree big (api, node in hand)", lambda: mp_subtree_api(nb))
        bench("a mp subtree big (raw LIKE)", lambda: mp_subtree_raw(nb.path))
        bench("b mp subtree mid (api, node in hand)", lambda: mp_subtree_api(nm))
        bench("b mp subtree mid (raw LIKE)", lambda: mp_subtree_raw(nm.path))
        bench("c mp ancestors (api, node in hand)", lambda: mp_ancestors_api(nl))
        bench("c mp ancestors (from id: get + api)", lambda: mp_ancestors_api(MPNode.objects.get(id=m_leaf)))
        bench("d mp visibility count (paths + count)", lambda: mp_visible_count(m_vis))
        timed_rollback("e mp move (get x2 + objects.move)", lambda: mp_move(m_move, m_target))
        # sanity: move landed and the whole subtree got rewritten
        with transaction.atomic(), CaptureQueriesContext(connection) as cq:
            mp_move(m_move, m_target)
            print(f"  MP move: {len(cq.captured_queries)} SQL statements incl. savepoint")
            moved = MPNode.objects.get(id=m_move)
            tgt = MPNode.objects.get(id=m_target)
            assert moved.path.startswith(tgt.path) and moved.depth == tgt.depth + 1
            print(f"  MP move rewrote {MPNode.objects.filter(path__startswith=moved.path).count()} rows' path/depth")
            transaction.set_rollback(True)

        def refused_mp():
            try:
                with transaction.atomic():
                    mp_move(m_move, m_inside)
            except InvalidMoveToDescendant:
                return
            raise AssertionError("not detected")
        bench("f mp refused move", refused_mp)

        # API friction check: plain ORM create does not produce a valid node
        try:
            with transaction.atomic():
                MPNode.objects.create(name="x", kind="account")
            print("  MPNode.objects.create(): succeeded (!)")
        except Exception as e:
            print(f"  MPNode.objects.create() -> {type(e).__name__}: {str(e).splitlines()[0][:90]}")
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                with transaction.atomic():
                    MPNode.add_root(name="x", kind="group")
                    transaction.set_rollback(True)
            except Exception as e:
                print("  add_root classmethod:", type(e).__name__, e)
            if w:
                print(f"  MPNode.add_root(): {w[0].category.__name__}: {str(w[0].message)[:100]}")

    with open(os.path.join(HERE, f"results_{BACKEND}.json"), "w") as f:
        json.dump(RESULTS, f, indent=1)


if __name__ == "__main__":
    main()
