"""Resolving citations to stored letters, placeholders for letters not yet read, and which
clause of its parent each obligation carries out.

Everything here is a function of the stored facts alone, never of the order they came in:

- A citation (a `links` row with `obligation_id` NULL) of key K *fits* a stored letter of key K
  when their dates agree (when both are known), their years agree, their issuers could be the
  same body, and — for a citation that gives neither date nor year — the letter is not dated
  after the one citing it. One fitting letter: `resolved`. Several: `ambiguous`, the candidates
  listed in link_candidates, nothing guessed. None: `placeholder`.
- The placeholder citations of K are grouped into placeholder documents by one greedy pass in a
  fixed order (most specific first: dated, with a year, with an issuer, longer issuer), each
  joining the first group whose first member it fits. The groups depend on the set of citations
  only. A new citation that joins a group whose first member sorts before it changes no other
  group, so it is added in place; anything else rebuilds K's groups.
- Whenever the letters of K change (one arrives, is replaced or removed), every citation of K is
  evaluated again; a new citation is evaluated on arrival. Obligation links follow the citation
  of the same key in their letter; when that resolves, the obligation's text is matched against
  every clause of the parent (Jaccard over syllables and syllable pairs) and the best clause
  kept when its score reaches CLAUSE_THRESHOLD.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, Select, bindparam, delete, insert, select, update

from pipeline.store.norm import issuers_compatible, jaccard, words
from pipeline.store.tables import clauses, documents, link_candidates, links, whole_letter_link

CLAUSE_THRESHOLD = 0.12


@dataclass
class Changes:
    """What an ingest touched: keys whose stored letters changed, keys whose placeholder groups
    must be rebuilt, and new citations to evaluate."""

    letter_keys: set[str] = field(default_factory=set)
    regroup_keys: set[str] = field(default_factory=set)
    new_links: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def keys(self) -> list[str]:
        return sorted(self.letter_keys | self.regroup_keys | set(self.new_links))


@dataclass(frozen=True)
class _Letter:
    id: int
    date: date | None
    year: int | None
    issuer_norm: str | None
    parent_words: frozenset[str]


@dataclass
class _Citation:
    id: int
    from_document_id: int
    cited_date: date | None
    cited_year: int | None
    cited_issuer_norm: str | None
    from_date: date | None
    status: str
    to_document_id: int | None


def relink(conn: Connection, changes: Changes) -> None:
    for key in changes.keys():  # noqa: SIM118 - Changes.keys() is its own method
        _relink_key(conn, key, changes)


def _relink_key(conn: Connection, key: str, changes: Changes) -> None:
    letters = [
        _Letter(row.id, row.date, row.year or (row.date.year if row.date else None), row.issuer_norm,
                frozenset((row.issuer_norm or "").split()) | frozenset(_parent_words(row.issuer_parent)))
        for row in conn.execute(
            select(documents.c.id, documents.c.date, documents.c.year, documents.c.issuer_norm,
                   documents.c.issuer_parent)
            .where(documents.c.key_norm == key, documents.c.placeholder.is_(False))
            .order_by(documents.c.id)
        )
    ]
    base = select(links.c.id, links.c.from_document_id, links.c.cited_date, links.c.cited_year,
                  links.c.cited_issuer_norm, links.c.from_date, links.c.status, links.c.to_document_id)
    query: Select | None
    if key in changes.letter_keys:
        query = base.where(links.c.to_key_norm == key, whole_letter_link())
    else:  # only the new citations, found by id (a popular key has thousands of others)
        ids = changes.new_links.get(key, [])
        query = base.where(links.c.id.in_(ids)) if ids else None
    evaluated = [_Citation(*row) for row in conn.execute(query)] if query is not None else []

    changed: dict[int, tuple[str, int | None, int]] = {}  # link id -> (status, target, from doc)
    fresh_placeholders: list[_Citation] = []
    regroup = key in changes.letter_keys or key in changes.regroup_keys
    ambiguous_ids = [c.id for c in evaluated if c.status == "ambiguous"]
    if ambiguous_ids:
        conn.execute(delete(link_candidates).where(link_candidates.c.link_id.in_(ambiguous_ids)))
    candidate_rows = []
    for citation in evaluated:
        fitting = [letter.id for letter in letters if _fits(citation, letter)]
        if len(fitting) == 1:
            status, target = "resolved", fitting[0]
        elif fitting:
            status, target = "ambiguous", None
            candidate_rows += [{"link_id": citation.id, "document_id": d} for d in fitting]
        else:
            status, target = "placeholder", citation.to_document_id if citation.status == "placeholder" else None
            if citation.status != "placeholder" or target is None:
                fresh_placeholders.append(citation)
        if citation.status == "placeholder" and status != "placeholder":
            regroup = True
        if (status, target) != (citation.status, citation.to_document_id):
            changed[citation.id] = (status, target, citation.from_document_id)
            citation.status, citation.to_document_id = status, target
    if candidate_rows:
        conn.execute(insert(link_candidates), candidate_rows)
    _write_targets(conn, changed)

    if not regroup and fresh_placeholders:
        regroup = not _join_groups(conn, key, fresh_placeholders, changed)
    if regroup:
        _regroup(conn, key, changed)
    _follow(conn, key, changed, {letter.id for letter in letters})


def _parent_words(parent: str | None) -> list[str]:
    from pipeline.store.norm import issuer_norm

    return (issuer_norm(parent) or "").split()


def _fits(citation: _Citation, letter: _Letter) -> bool:
    if citation.cited_date and letter.date and citation.cited_date != letter.date:
        return False
    if citation.cited_year and letter.year and citation.cited_year != letter.year:
        return False
    if citation.cited_issuer_norm and letter.issuer_norm:
        if not (issuers_compatible(citation.cited_issuer_norm, letter.issuer_norm)
                or set(citation.cited_issuer_norm.split()) <= letter.parent_words):
            return False
    if (citation.cited_date is None and citation.cited_year is None and citation.from_date
            and letter.date and letter.date > citation.from_date):
        return False  # a letter cannot carry out one issued after it
    return True


def _write_targets(conn: Connection, changed: dict[int, tuple[str, int | None, int]]) -> None:
    if not changed:
        return
    conn.execute(
        update(links).where(links.c.id == bindparam("link_id"))
        .values(status=bindparam("new_status"), to_document_id=bindparam("target")),
        [{"link_id": i, "new_status": s, "target": t} for i, (s, t, _) in changed.items()],
    )


# --- placeholder groups ----------------------------------------------------------------

def _sort_key(cited_date: date | None, cited_year: int | None, issuer: str | None) -> tuple:
    return (cited_date is None, cited_year is None, issuer is None, -len(issuer or ""),
            cited_date.isoformat() if cited_date else "", cited_year or 0, issuer or "")


def _group_fits(a_date, a_year, a_issuer, b_date, b_year, b_issuer) -> bool:  # noqa: ANN001
    if a_date and b_date and a_date != b_date:
        return False
    if a_year and b_year and a_year != b_year:
        return False
    return issuers_compatible(a_issuer, b_issuer)


_CITED = ("key", "doc_type", "issuer", "subject")


def _cited_fields(conn: Connection, link_ids: list[int]) -> dict[int, dict]:
    """What each citation says of the document it cites (from its doc_references row)."""
    from pipeline.store.tables import references

    out: dict[int, dict] = {}
    for start in range(0, len(link_ids), 500):
        chunk = link_ids[start:start + 500]
        rows = conn.execute(
            select(links.c.id, references.c.key, references.c.doc_type, references.c.issuer, references.c.subject)
            .join(references, references.c.id == links.c.reference_id).where(links.c.id.in_(chunk))
        )
        for row in rows:
            out[row.id] = {"key": row.key, "doc_type": row.doc_type, "issuer": row.issuer, "subject": row.subject}
    return out


def _better(field_name: str, current: str | None, new: str | None) -> str | None:
    """The placeholder shows, of what its citations say: the shortest spelling of the key
    (then the first in order), the first type code, the longest issuer and subject."""
    if new is None:
        return current
    if current is None:
        return new
    if field_name in ("key", "doc_type"):
        return min(current, new)
    return max(current, new, key=lambda s: (len(s), s))


def _join_groups(conn: Connection, key: str, citations: list[_Citation],
                 changed: dict[int, tuple[str, int | None, int]]) -> bool:
    """Put each new placeholder citation in the existing group it belongs to; False when one
    would start a group of its own (then the groups are rebuilt)."""
    groups = sorted(
        conn.execute(select(documents.c.id, documents.c.date, documents.c.year, documents.c.issuer_norm,
                            documents.c.key, documents.c.doc_type, documents.c.issuer, documents.c.subject)
                     .where(documents.c.key_norm == key, documents.c.placeholder.is_(True))).all(),
        key=lambda g: _sort_key(g.date, g.year, g.issuer_norm),
    )
    chosen: dict[int, int] = {}
    for citation in citations:
        own = _sort_key(citation.cited_date, citation.cited_year, citation.cited_issuer_norm)
        group = next((g for g in groups if _sort_key(g.date, g.year, g.issuer_norm) <= own
                      and _group_fits(g.date, g.year, g.issuer_norm, citation.cited_date,
                                      citation.cited_year, citation.cited_issuer_norm)), None)
        if group is None:
            return False
        chosen[citation.id] = group.id
    cited = _cited_fields(conn, list(chosen))
    by_group = {g.id: g for g in groups}
    for group_id in sorted(set(chosen.values())):
        group = by_group[group_id]
        values = {name: getattr(group, name) for name in _CITED}
        for link_id, target in chosen.items():
            if target == group_id:
                for name in _CITED:
                    values[name] = _better(name, values[name], cited.get(link_id, {}).get(name))
        if any(values[name] != getattr(group, name) for name in _CITED):
            conn.execute(update(documents).where(documents.c.id == group_id).values(**values))
    for citation in citations:
        target = chosen[citation.id]
        changed[citation.id] = ("placeholder", target, citation.from_document_id)
    _write_targets(conn, {i: changed[i] for i in chosen})
    return True


def _regroup(conn: Connection, key: str, changed: dict[int, tuple[str, int | None, int]]) -> None:
    """Rebuild K's placeholder documents from all its placeholder citations."""
    members = conn.execute(
        select(links.c.id, links.c.from_document_id, links.c.cited_date, links.c.cited_year,
               links.c.cited_issuer_norm, links.c.to_document_id)
        .where(links.c.to_key_norm == key, whole_letter_link(), links.c.status == "placeholder")
    ).all()
    members = list(members)
    members.sort(key=lambda m: (_sort_key(m.cited_date, m.cited_year, m.cited_issuer_norm), m.id))
    cited = _cited_fields(conn, [m.id for m in members])
    groups: list[dict] = []
    assignment: dict[int, int] = {}
    for member in members:
        for index, group in enumerate(groups):  # noqa: B007 - the for-else uses it
            if _group_fits(group["date"], group["year"], group["issuer_norm"],
                           member.cited_date, member.cited_year, member.cited_issuer_norm):
                break
        else:
            index = len(groups)
            groups.append({"date": member.cited_date, "year": member.cited_year or
                           (member.cited_date.year if member.cited_date else None),
                           "issuer_norm": member.cited_issuer_norm,
                           "key": None, "doc_type": None, "issuer": None, "subject": None})
        assignment[member.id] = index
        for name in _CITED:
            groups[index][name] = _better(name, groups[index][name], cited.get(member.id, {}).get(name))

    old = [row.id for row in conn.execute(
        select(documents.c.id).where(documents.c.key_norm == key, documents.c.placeholder.is_(True)))]
    if old:
        conn.execute(update(links).where(links.c.to_document_id.in_(old)).values(to_document_id=None))
        conn.execute(delete(documents).where(documents.c.id.in_(old)))
    ids: list[int] = []
    if groups:
        ids = list(conn.execute(
            insert(documents).returning(documents.c.id, sort_by_parameter_order=True),
            [{"placeholder": True, "key_norm": key, "position": 0, "obligation_count": 0, "date": g["date"],
              "year": g["year"], "issuer_norm": g["issuer_norm"], "key": g["key"], "doc_type": g["doc_type"],
              "issuer": g["issuer"], "subject": g["subject"]} for g in groups],
        ).scalars())
    for member in members:
        target = ids[assignment[member.id]]
        changed[member.id] = ("placeholder", target, member.from_document_id)
    _write_targets(conn, {m.id: changed[m.id] for m in members})


# --- obligations follow their letter's citation ------------------------------------------

def _follow(conn: Connection, key: str, changed: dict[int, tuple[str, int | None, int]],
            letter_ids: set[int]) -> None:
    """Give the obligation links of K in the letters whose citation of K changed the same
    target, and match each obligation against the clauses of a stored parent."""
    if not changed:
        return
    by_document: dict[int, tuple[str, int | None]] = {}
    for status, target, from_document in changed.values():
        by_document[from_document] = (status, target)
    rows: list = []
    doc_ids = sorted(by_document)
    for start in range(0, len(doc_ids), 500):
        rows += conn.execute(
            select(links.c.id, links.c.from_document_id, links.c.obligation_id)
            .where(links.c.to_key_norm == key, links.c.obligation_id.is_not(None),
                   links.c.from_document_id.in_(doc_ids[start:start + 500]))
        ).all()
    if not rows:
        return
    from pipeline.store.tables import obligations

    parents = {by_document[r.from_document_id][1] for r in rows} & letter_ids
    parent_clauses: dict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
    if parents:
        for clause in conn.execute(select(clauses.c.document_id, clauses.c.clause, clauses.c.text)
                                   .where(clauses.c.document_id.in_(sorted(parents)))
                                   .order_by(clauses.c.document_id, clauses.c.position)):
            parent_clauses[clause.document_id].append((clause.clause, words(clause.text)))
    texts: dict[int, str] = {}
    obligation_ids = [r.obligation_id for r in rows if by_document[r.from_document_id][1] in parents]
    for start in range(0, len(obligation_ids), 500):
        for ob in conn.execute(select(obligations.c.id, obligations.c.text)
                               .where(obligations.c.id.in_(obligation_ids[start:start + 500]))):
            texts[ob.id] = ob.text
    updates = []
    for row in rows:
        status, target = by_document[row.from_document_id]
        clause_to, score = None, None
        if target is not None and target in parents:
            clause_to, score = best_clause(texts[row.obligation_id], parent_clauses[target])
        updates.append({"link_id": row.id, "new_status": status, "target": target,
                        "new_clause_to": clause_to, "new_score": score})
    conn.execute(
        update(links).where(links.c.id == bindparam("link_id"))
        .values(status=bindparam("new_status"), to_document_id=bindparam("target"),
                clause_to=bindparam("new_clause_to"), score=bindparam("new_score")),
        updates,
    )


def best_clause(text: str, candidates: list[tuple[str, frozenset[str]]]) -> tuple[str | None, float | None]:
    """The parent clause most like `text`, and its score, if it reaches CLAUSE_THRESHOLD."""
    own = words(text)
    best: tuple[str | None, float] = (None, 0.0)
    for clause_id, clause_words in candidates:
        score = jaccard(own, clause_words)
        if score > best[1]:
            best = (clause_id, score)
    if best[0] is None or best[1] < CLAUSE_THRESHOLD:
        return None, None
    return best[0], round(best[1], 4)
