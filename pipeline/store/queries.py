"""Reading the store: a letter, its chain, the whole graph (the task tracker: tracker.py)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from pipeline.store.norm import lookup_key
from pipeline.store.tables import clauses, documents, link_candidates, links, obligations, whole_letter_link
from pipeline.store.tracker import TaskFilter, tasks

_DOC_FIELDS = (documents.c.id, documents.c.key, documents.c.issuer, documents.c.date, documents.c.year,
               documents.c.doc_type, documents.c.subject, documents.c.placeholder,
               documents.c.obligation_count)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _doc_order(row) -> tuple:  # noqa: ANN001
    return (row.key or "", row.year or 0, _iso(row.date) or "", row.issuer or "", row.placeholder)


def find_documents(conn: Connection, key: str) -> list:
    """Stored letters and placeholders of a key (any spelling: '968/CD-TTg' finds 968/CĐ-TTg), letters first."""
    rows = conn.execute(select(*_DOC_FIELDS).where(documents.c.key_norm == lookup_key(key))).all()
    return sorted(rows, key=lambda r: (r.placeholder, -(r.year or 0), r.issuer or ""))


def document_detail(conn: Connection, document_id: int) -> dict:
    doc = conn.execute(select(documents).where(documents.c.id == document_id)).one()
    out = {"key": doc.key, "doc_type": doc.doc_type, "doc_type_label": doc.doc_type_label,
           "issuer": doc.issuer, "issuer_parent": doc.issuer_parent, "date": _iso(doc.date), "year": doc.year,
           "subject": doc.subject, "placeholder": doc.placeholder, "signer": doc.signer,
           "signer_title": doc.signer_title, "recipients": doc.recipients or []}
    out["links"] = [_link_dict(conn, row) for row in conn.execute(
        select(links, documents.c.key.label("t_key"), documents.c.date.label("t_date"),
               documents.c.issuer.label("t_issuer"), documents.c.placeholder.label("t_placeholder"))
        .outerjoin(documents, documents.c.id == links.c.to_document_id)
        .where(links.c.from_document_id == document_id, whole_letter_link())
        .order_by(links.c.id))]
    child = aliased(documents)
    out["cited_by"] = [
        {"key": r.key, "date": _iso(r.date), "issuer": r.issuer, "relation": r.relation}
        for r in conn.execute(
            select(child.c.key, child.c.date, child.c.issuer, links.c.relation)
            .join(child, child.c.id == links.c.from_document_id)
            .where(links.c.to_document_id == document_id, whole_letter_link())
            .order_by(child.c.key, child.c.date))
    ]
    out["obligations"] = tasks(conn, TaskFilter(status="all", document_ids=(document_id,)))
    return out


def _link_dict(conn: Connection, row) -> dict:  # noqa: ANN001
    out = {"to": row.to_key, "relation": row.relation, "status": row.status,
           "to_date": _iso(row.t_date) if row.to_document_id else _iso(row.cited_date),
           "to_issuer": row.t_issuer}
    if row.status == "ambiguous":
        out["candidates"] = _candidates(conn, [row.id]).get(row.id, [])
    return out


def _candidates(conn: Connection, link_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for start in range(0, len(link_ids), 500):
        for r in conn.execute(
            select(link_candidates.c.link_id, documents.c.key, documents.c.issuer, documents.c.date)
            .join(documents, documents.c.id == link_candidates.c.document_id)
            .where(link_candidates.c.link_id.in_(link_ids[start:start + 500]))
        ):
            out[r.link_id].append({"key": r.key, "issuer": r.issuer, "date": _iso(r.date)})
    for items in out.values():
        items.sort(key=lambda c: (c["date"] or "", c["issuer"] or ""))
    return out


# --- the chain ----------------------------------------------------------------------------

@dataclass
class Node:
    id: int
    key: str | None
    date: str | None
    issuer: str | None
    placeholder: bool
    obligations: int
    children: list[Node] = field(default_factory=list)


def _parents_of(conn: Connection, ids: list[int]) -> dict[int, list[int]]:
    """Each letter's parents: what it carries out as a whole, else what its obligations carry out."""
    whole: dict[int, set[int]] = defaultdict(set)
    partial: dict[int, set[int]] = defaultdict(set)
    for r in conn.execute(select(links.c.from_document_id, links.c.to_document_id, links.c.obligation_id)
                          .where(links.c.from_document_id.in_(ids), links.c.relation == "implements",
                                 links.c.to_document_id.is_not(None))):
        (partial if r.obligation_id else whole)[r.from_document_id].add(r.to_document_id)
    return {i: sorted(whole.get(i) or partial.get(i) or ()) for i in ids}


def _children_of(conn: Connection, ids: list[int]) -> dict[int, list[int]]:
    """The inverse of _parents_of, for a set of letters."""
    rows = conn.execute(select(links.c.from_document_id, links.c.to_document_id, links.c.obligation_id)
                        .where(links.c.to_document_id.in_(ids), links.c.relation == "implements")).all()
    if not rows:
        return {}
    whole_from = {r.from_document_id for r in rows if r.obligation_id is None}
    # a letter whose obligations name the parent, but that carries out some other letter as a
    # whole, hangs under that one only
    candidates = {r.from_document_id for r in rows if r.obligation_id is not None} - whole_from
    has_whole: set[int] = set()
    cand = sorted(candidates)
    for start in range(0, len(cand), 500):
        has_whole.update(conn.execute(
            select(links.c.from_document_id).where(
                links.c.from_document_id.in_(cand[start:start + 500]), links.c.relation == "implements",
                whole_letter_link(), links.c.to_document_id.is_not(None))).scalars())
    out: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        if r.obligation_id is None or r.from_document_id not in has_whole:
            out[r.to_document_id].add(r.from_document_id)
    return {k: sorted(v) for k, v in out.items()}


def chain(conn: Connection, document_id: int) -> list[Node]:
    """The trees that hold this letter: from each root it descends from, down to every letter
    that carries it out (and theirs, and so on)."""
    roots: list[int] = []
    seen = {document_id}
    frontier = [document_id]
    while frontier:
        parents = _parents_of(conn, frontier)
        nxt = []
        for child in frontier:
            if not parents[child]:
                roots.append(child)
            for parent in parents[child]:
                if parent not in seen:
                    seen.add(parent)
                    nxt.append(parent)
        frontier = nxt
    nodes: dict[int, Node] = {}
    edges: dict[int, list[int]] = {}
    frontier = sorted(set(roots))
    visited = set(frontier)
    while frontier:
        children = _children_of(conn, frontier)
        nxt = []
        for parent in frontier:
            edges[parent] = children.get(parent, [])
            for c in edges[parent]:
                if c not in visited:
                    visited.add(c)
                    nxt.append(c)
        frontier = nxt
    ids = sorted(visited)
    for start in range(0, len(ids), 500):
        for r in conn.execute(select(*_DOC_FIELDS).where(documents.c.id.in_(ids[start:start + 500]))):
            nodes[r.id] = Node(r.id, r.key, _iso(r.date), r.issuer, r.placeholder, r.obligation_count)

    def build(node_id: int, path: set[int]) -> Node:
        node = nodes[node_id]
        kids = [nodes[c] for c in edges.get(node_id, []) if c not in path]
        kids.sort(key=lambda n: (n.date or "", n.key or "", n.issuer or ""))
        return Node(node.id, node.key, node.date, node.issuer, node.placeholder, node.obligations,
                    [build(k.id, path | {k.id}) for k in kids])

    return [build(r, {r}) for r in sorted(set(roots), key=lambda i: (nodes[i].date or "", nodes[i].key or ""))]


# --- export -------------------------------------------------------------------------------

def export_graph(conn: Connection) -> dict:
    """Every document (letters read and placeholders) and every link, in an order that depends
    on their content only, never on database ids or arrival order."""
    docs = conn.execute(select(*_DOC_FIELDS)).all()
    doc_by_id = {d.id: d for d in docs}
    out_docs = [{"key": d.key, "issuer": d.issuer, "date": _iso(d.date), "year": d.year, "doc_type": d.doc_type,
                 "subject": d.subject, "placeholder": d.placeholder, "obligations": d.obligation_count}
                for d in sorted(docs, key=_doc_order)]
    rows = conn.execute(select(links.c.id, links.c.from_document_id, links.c.to_document_id, links.c.relation,
                               links.c.to_key, links.c.cited_date, links.c.status, links.c.clause_from,
                               links.c.clause_to, links.c.score)).all()
    candidates = _candidates(conn, [r.id for r in rows if r.status == "ambiguous"])
    out_links = []
    for r in rows:
        source = doc_by_id[r.from_document_id]
        target = doc_by_id.get(r.to_document_id)
        item = {"from": source.key, "from_date": _iso(source.date), "from_issuer": source.issuer,
                "to": target.key if target is not None and target.key else r.to_key,
                "to_date": _iso(target.date) if target is not None else _iso(r.cited_date),
                "to_issuer": target.issuer if target is not None else None,
                "relation": r.relation, "resolved": r.status == "resolved",
                "placeholder": r.status == "placeholder",
                "clause_from": r.clause_from, "clause_to": r.clause_to, "score": r.score}
        if r.status == "ambiguous":
            item["candidates"] = candidates.get(r.id, [])
        out_links.append(item)
    out_links.sort(key=lambda x: (x["from"] or "", x["from_date"] or "", x["from_issuer"] or "", x["to"],
                                  x["to_date"] or "", x["relation"], x["clause_from"] or "", x["clause_to"] or ""))
    return {"documents": out_docs, "links": out_links}


def counts(conn: Connection) -> dict[str, int]:
    return {
        "letters": conn.execute(select(func.count()).where(documents.c.placeholder.is_(False))).scalar_one(),
        "placeholders": conn.execute(select(func.count()).where(documents.c.placeholder.is_(True))).scalar_one(),
        "obligations": conn.execute(select(func.count()).select_from(obligations)).scalar_one(),
        "links": conn.execute(select(func.count()).select_from(links)).scalar_one(),
        "clauses": conn.execute(select(func.count()).select_from(clauses)).scalar_one(),
    }



def parents_and_children(conn: Connection, ids: list[int]) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """Each letter's direct parents and children, as `chain` walks them (the review site's links)."""
    parents: dict[int, list[int]] = {}
    children: dict[int, list[int]] = {}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        parents.update(_parents_of(conn, batch))
        children.update(_children_of(conn, batch))
    return parents, children
