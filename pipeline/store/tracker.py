"""The task tracker: obligations by due date, their status, a clerk's done marks, and the letters.

Status of an obligation on a given day: `done` when a clerk marked it (obligation_marks, kept by
its track_key, so it survives re-ingestion of its letter); else `overdue` when its due date is
past; else `open`. A recurring task ("trước ngày 20 hằng tháng") is due on its next occurrence
(`next_due`) and is never overdue.

Every listing is sorted by the date a task is due — its own date, or a recurring task's next
occurrence — then by letter; tasks without a date come last. The queries are built to stay fast
on a store of 100,000 letters (benchmarks/store.py): a page of tasks walks the deadline index in
date order and stops when it is full, recurring tasks are fetched by their (period, day), of which
there are few, and only the tasks shown are then read in full.
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, not_, or_, select
from sqlalchemy.orm import aliased

from pipeline.store.norm import strip_marks
from pipeline.store.tables import (
    assignee_names,
    assignees,
    deadlines,
    document_search,
    documents,
    files,
    links,
    obligation_marks,
    obligations,
    whole_letter_link,
)

STATUSES = ("open", "overdue", "done", "all")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- recurring tasks ---------------------------------------------------------------------------

_PERIOD_MONTHS = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def next_due(period: str | None, day: int | None, today: date) -> date:
    """The next day a recurring task is due, today or later.

    Daily: today. Weekly: Friday of this week. Monthly, quarterly, half-yearly, yearly: the last
    day of the current period, or day `day` of the period's last month when the letter names one
    ("trước ngày 20 hằng tháng" is the 20th); when that is past, the next period's.
    """
    if period == "day":
        return today
    if period == "week":
        return today + timedelta(days=(4 - today.weekday()) % 7)
    months = _PERIOD_MONTHS.get(period or "", 1)
    first_month = (today.month - 1) // months * months + 1  # of the current period
    for step in range(3):
        month0 = first_month - 1 + months * step + months - 1  # the period's last month, 0-based
        year, month = today.year + month0 // 12, month0 % 12 + 1
        last = calendar.monthrange(year, month)[1]
        due = date(year, month, min(day, last) if day else last)
        if due >= today:
            return due
    raise AssertionError("unreachable")  # pragma: no cover - a period's end is at most a year away


# --- the filter ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TaskFilter:
    status: str = "open"  # open | overdue | done | all
    assignee: str | None = None  # part of a name, case and tone marks ignored
    due_before: date | None = None
    needs_review: bool = False  # only those flagged for review
    document_ids: tuple[int, ...] | None = None
    today: date | None = None

    @property
    def day(self) -> date:
        return self.today or date.today()


def _marked():  # noqa: ANN202
    return select(obligation_marks.c.track_key).where(obligation_marks.c.track_key == obligations.c.track_key).exists()


@dataclass(frozen=True)
class _Plan:
    """How to find a filter's tasks: `where` for every query; `few` when the filter picks at most
    SMALL_SET tasks, found from its own index (then read all and sorted here), else None (walk the
    deadline index in date order, checking each task, until a page is full)."""

    where: list
    few: list[int] | None = None  # the obligation ids, or None


SMALL_SET = 2_000


def _plan(conn: Connection, f: TaskFilter) -> _Plan:
    where: list = []
    drivers = []  # selective filters, each a select of obligation ids
    done_ids: list[int] | None = None
    if f.status in ("open", "overdue"):
        where.append(not_(_marked()))
    elif f.status == "done":
        where.append(_marked())
        # from the marks, when they are few, to their tasks by ix_obligations_track_key
        keys = list(conn.execute(select(obligation_marks.c.track_key).limit(SMALL_SET + 1)).scalars())
        if len(keys) <= SMALL_SET:
            done_ids = [i for start in range(0, len(keys), 500) for i in conn.execute(
                select(obligations.c.id).where(obligations.c.track_key.in_(keys[start:start + 500]))).scalars()]
    if f.assignee:
        # the few matching names first, as constants: SQLite then looks each up in ix_assignees_search
        names = list(conn.execute(select(assignee_names.c.search)
                                  .where(assignee_names.c.search.like(f"%{strip_marks(f.assignee)}%"))).scalars())
        if not names:
            return _Plan(where, [])  # no such assignee: nothing to look for
        where.append(select(assignees.c.obligation_id).where(assignees.c.obligation_id == obligations.c.id,
                                                             assignees.c.search.in_(names)).exists())
        drivers.append(select(assignees.c.obligation_id).where(assignees.c.search.in_(names)))
    if f.needs_review:
        where.append(obligations.c.needs_review.is_(True))
        drivers.append(select(obligations.c.id).where(obligations.c.needs_review.is_(True)))
    if f.document_ids is not None:
        where.append(obligations.c.document_id.in_(f.document_ids))
        drivers.append(select(obligations.c.id).where(obligations.c.document_id.in_(f.document_ids)))
    if done_ids is not None:
        return _Plan(where, sorted(done_ids))
    for driver in drivers:
        ids = list(conn.execute(driver.limit(SMALL_SET + 1)).scalars())
        if len(ids) <= SMALL_SET:
            return _Plan(where, sorted(set(ids)))
    return _Plan(where)


_ROW = (obligations.c.id, deadlines.c.date.label("due"), deadlines.c.kind, deadlines.c.period, deadlines.c.day)


def _dated(conn: Connection, f: TaskFilter, plan: _Plan, limit: int | None) -> list:
    """Tasks with a due date of their own, in date order (the deadline index's order)."""
    if f.status == "overdue":
        when = [deadlines.c.date < f.day]
    elif f.status == "open":
        when = [deadlines.c.date >= f.day]
    else:
        when = [deadlines.c.date.is_not(None)]
    if f.due_before is not None:
        when.append(deadlines.c.date < f.due_before)
    query = (select(*_ROW).select_from(deadlines).join(obligations, obligations.c.id == deadlines.c.obligation_id)
             .where(*when, *plan.where).order_by(deadlines.c.date, obligations.c.id).limit(limit))
    return list(conn.execute(query))


def _recurring(conn: Connection, f: TaskFilter, plan: _Plan, limit: int | None) -> list[tuple[date, Any]]:
    """Recurring tasks by their next occurrence: one query per (period, day) in due order."""
    if f.status == "overdue":
        return []
    combos = conn.execute(select(deadlines.c.period, deadlines.c.day).where(deadlines.c.kind == "recurring")
                          .group_by(deadlines.c.period, deadlines.c.day)).all()
    ordered = sorted(((next_due(p, d, f.day), p, d) for p, d in combos), key=lambda c: (c[0], c[1] or "", c[2] or 0))
    out: list[tuple[date, Any]] = []
    for due, period, day in ordered:
        if f.due_before is not None and due >= f.due_before:
            break
        if limit is not None and len(out) >= limit:
            break
        query = (select(*_ROW).select_from(deadlines).join(obligations, obligations.c.id == deadlines.c.obligation_id)
                 .where(deadlines.c.kind == "recurring",
                        deadlines.c.period.is_(None) if period is None else deadlines.c.period == period,
                        deadlines.c.day.is_(None) if day is None else deadlines.c.day == day, *plan.where)
                 .order_by(deadlines.c.obligation_id).limit(None if limit is None else limit - len(out)))
        out += [(due, row) for row in conn.execute(query)]
    return out


def _undated(conn: Connection, f: TaskFilter, plan: _Plan, limit: int | None) -> list:
    """Tasks without a date to be due on (no deadline, urgent, ongoing, a relative one not yet known)."""
    if f.status == "overdue" or f.due_before is not None:
        return []
    query = (select(*_ROW).select_from(obligations)
             .outerjoin(deadlines, deadlines.c.obligation_id == obligations.c.id)
             .where(or_(deadlines.c.id.is_(None), and_(deadlines.c.date.is_(None), deadlines.c.kind != "recurring")),
                    *plan.where)
             .order_by(obligations.c.id).limit(limit))
    return list(conn.execute(query))


def tasks(conn: Connection, f: TaskFilter = TaskFilter(), *, limit: int | None = None, offset: int = 0) -> list[dict]:
    """The tasks the filter picks, by due date (recurring ones by their next occurrence), then
    undated ones; `limit` of them after `offset`."""
    want = None if limit is None else limit + offset
    plan = _plan(conn, f)
    if plan.few is not None:
        return _details(conn, _few(conn, f, plan)[offset:want], f.day)
    merged = [(row.due, row) for row in _dated(conn, f, plan, want)] + _recurring(conn, f, plan, want)
    merged.sort(key=lambda pair: (pair[0], pair[1].id))
    picked = [(due, row) for due, row in merged] + [(None, row) for row in _undated(conn, f, plan, want)]
    return _details(conn, picked[offset:want], f.day)


def _few(conn: Connection, f: TaskFilter, plan: _Plan) -> list[tuple[date | None, Any]]:
    """All the tasks of a selective filter, in the tracker's order, sorted here."""
    rows: list = []
    for start in range(0, len(plan.few or ()), 500):
        rows += conn.execute(select(*_ROW).select_from(obligations)
                             .outerjoin(deadlines, deadlines.c.obligation_id == obligations.c.id)
                             .where(obligations.c.id.in_((plan.few or [])[start:start + 500]), *plan.where)).all()
    day = f.day
    out = []
    for row in rows:
        due = next_due(row.period, row.day, day) if row.kind == "recurring" else row.due
        if f.status == "overdue" and not (row.kind != "recurring" and due is not None and due < day):
            continue
        if f.status == "open" and due is not None and due < day:
            continue
        if f.due_before is not None and not (due is not None and due < f.due_before):
            continue
        out.append((due, row))
    out.sort(key=lambda pair: (pair[0] is None, pair[0] or date.max, pair[1].id))
    return out


def task_details(conn: Connection, ids: list[int], *, today: date | None = None) -> list[dict]:
    """These tasks in full, in the order given (unknown ids left out)."""
    day = today or date.today()
    rows = {r.id: r for r in conn.execute(select(*_ROW).select_from(obligations)
                                          .outerjoin(deadlines, deadlines.c.obligation_id == obligations.c.id)
                                          .where(obligations.c.id.in_(ids)))}
    picked = [(next_due(r.period, r.day, day) if r.kind == "recurring" else r.due, r) for i in ids if (r := rows.get(i))]
    return _details(conn, picked, day)


def _details(conn: Connection, picked: list[tuple[date | None, Any]], today: date) -> list[dict]:
    """The tasks in full: letter, assignees, deadline, status, parent directive, review flag."""
    ids = [row.id for _, row in picked]
    if not ids:
        return []
    full = {r.id: r for r in conn.execute(
        select(obligations.c.id, obligations.c.clause, obligations.c.text, obligations.c.document_id,
               obligations.c.needs_review, obligations.c.review_reasons, obligations.c.track_key,
               documents.c.key, documents.c.date, documents.c.issuer, deadlines.c.kind, deadlines.c.date.label("own_due"),
               deadlines.c.raw, deadlines.c.period, deadlines.c.day, obligation_marks.c.marked_at)
        .join(documents, documents.c.id == obligations.c.document_id)
        .outerjoin(deadlines, deadlines.c.obligation_id == obligations.c.id)
        .outerjoin(obligation_marks, obligation_marks.c.track_key == obligations.c.track_key)
        .where(obligations.c.id.in_(ids)))}
    names: dict[int, list[dict]] = defaultdict(list)
    for a in conn.execute(select(assignees.c.obligation_id, assignees.c.name, assignees.c.normalized, assignees.c.role)
                          .where(assignees.c.obligation_id.in_(ids))
                          .order_by(assignees.c.obligation_id, assignees.c.position)):
        names[a.obligation_id].append({"name": a.normalized or a.name, "as_written": a.name, "role": a.role})
    parents = _parents(conn, ids, {full[i].document_id for i in ids})
    out = []
    for due, row in picked:
        r = full[row.id]
        recurring = r.kind == "recurring"
        if r.marked_at is not None:
            status = "done"
        elif r.own_due is not None and r.own_due < today:
            status = "overdue"
        else:
            status = "open"
        out.append({
            "id": r.id, "letter": r.key, "letter_date": _iso(r.date), "issuer": r.issuer, "clause": r.clause,
            "text": r.text, "assignees": names.get(r.id, []),
            "deadline": ({"kind": r.kind, "date": _iso(r.own_due), "raw": r.raw, "period": r.period, "day": r.day}
                         if r.kind else None),
            "due": _iso(due) if due is not None else None,
            "next_due": _iso(due) if recurring else None,
            "status": status, "done_at": r.marked_at.isoformat(timespec="seconds") if r.marked_at else None,
            "parent": parents.get((r.id, None)) or parents.get((None, r.document_id)),
            "needs_review": bool(r.needs_review), "review_reasons": list(r.review_reasons or []),
        })
    return out


def _parents(conn: Connection, ids: list[int], document_ids: Iterable[int]) -> dict[tuple[int | None, int | None], dict]:
    """The directive each task carries out: its own link, else its letter's (first) one."""
    parent = aliased(documents)
    out: dict[tuple[int | None, int | None], dict] = {}
    for link in conn.execute(select(links.c.obligation_id, links.c.to_key, links.c.status, links.c.clause_to,
                                    links.c.score, parent.c.date)
                             .outerjoin(parent, parent.c.id == links.c.to_document_id)
                             .where(links.c.obligation_id.in_(ids))):
        out[(link.obligation_id, None)] = {"key": link.to_key, "date": _iso(link.date), "status": link.status,
                                           "clause": link.clause_to, "score": link.score}
    docs = sorted(set(document_ids))
    for start in range(0, len(docs), 900):
        for link in conn.execute(
            select(links.c.from_document_id, links.c.to_key, links.c.status, parent.c.date)
            .outerjoin(parent, parent.c.id == links.c.to_document_id)
            .where(links.c.from_document_id.in_(docs[start:start + 900]), links.c.relation == "implements",
                   whole_letter_link()).order_by(links.c.id)
        ):
            out.setdefault((None, link.from_document_id), {"key": link.to_key, "date": _iso(link.date),
                                                           "status": link.status, "clause": None, "score": None})
    return out


# --- a clerk's marks ---------------------------------------------------------------------------

def task_key(conn: Connection, obligation_id: int) -> str | None:
    return conn.execute(select(obligations.c.track_key).where(obligations.c.id == obligation_id)).scalar()


def mark_done(conn: Connection, obligation_id: int, *, done: bool = True) -> bool:
    """Mark a task done (or, `done=False`, open again); False when there is no such task."""
    key = task_key(conn, obligation_id)
    if key is None:
        return False
    conn.execute(delete(obligation_marks).where(obligation_marks.c.track_key == key))
    if done:
        conn.execute(insert(obligation_marks).values(track_key=key, status="done",
                                                     marked_at=datetime.now(UTC).replace(tzinfo=None)))
    return True


# --- what a run brought in -----------------------------------------------------------------------

def summary(conn: Connection, sha256s: Iterable[str], today: date, *, soon_days: int = 7) -> dict[str, int]:
    """For the files of these SHA-256s: letters, obligations, due in the next `soon_days` days,
    overdue, needing review (not counting tasks marked done)."""
    shas = sorted(set(sha256s))
    doc_ids: list[int] = []
    for start in range(0, len(shas), 900):
        doc_ids += conn.execute(select(documents.c.id).join(files, files.c.id == documents.c.file_id)
                                .where(files.c.sha256.in_(shas[start:start + 900]),
                                       documents.c.placeholder.is_(False))).scalars()
    out = {"letters": len(doc_ids), "obligations": 0, "due_soon": 0, "overdue": 0, "needs_review": 0}
    soon = today + timedelta(days=soon_days)
    for start in range(0, len(doc_ids), 900):
        chunk = doc_ids[start:start + 900]
        rows = conn.execute(select(obligations.c.needs_review, deadlines.c.kind, deadlines.c.date, deadlines.c.period,
                                   deadlines.c.day, _marked().label("done"))
                            .outerjoin(deadlines, deadlines.c.obligation_id == obligations.c.id)
                            .where(obligations.c.document_id.in_(chunk))).all()
        for r in rows:
            out["obligations"] += 1
            if r.done:
                continue
            due = next_due(r.period, r.day, today) if r.kind == "recurring" else r.date
            out["overdue"] += due is not None and due < today
            out["due_soon"] += due is not None and today <= due <= soon
            out["needs_review"] += bool(r.needs_review)
    return out


# --- letters -------------------------------------------------------------------------------------

_LETTER = (documents.c.id, documents.c.key, documents.c.date, documents.c.issuer, documents.c.doc_type,
           documents.c.doc_type_label, documents.c.subject, documents.c.obligation_count)


def letters(conn: Connection, *, text: str | None = None, issuer: str | None = None, since: date | None = None,
            limit: int | None = 50) -> list[dict]:
    """Stored letters, newest first; `text`: those whose key, issuer, subject or signer contain it
    (case and tone marks ignored, each word anywhere)."""
    query = select(*_LETTER).where(documents.c.placeholder.is_(False))
    words = [f"%{w}%" for w in strip_marks(text or "").split()] + ([f"%{strip_marks(issuer)}%"] if issuer else [])
    if words:
        matching = select(document_search.c.document_id).where(*(document_search.c.search.like(w) for w in words))
        few = list(conn.execute(matching.limit(SMALL_SET + 1)).scalars())
        if len(few) <= SMALL_SET:  # a rare word: the matching letters, from the narrow table
            query = query.where(documents.c.id.in_(few))
        else:  # a common one: newest first, checking each until the page is full
            query = query.where(select(document_search.c.document_id).where(
                document_search.c.document_id == documents.c.id, *(document_search.c.search.like(w) for w in words)
            ).exists())
    if since is not None:
        query = query.where(documents.c.date >= since)
    query = query.order_by(documents.c.date.desc(), documents.c.id.desc()).limit(limit)
    return [{"id": r.id, "key": r.key, "date": _iso(r.date), "issuer": r.issuer,
             "type": r.doc_type_label or r.doc_type, "subject": r.subject, "obligations": r.obligation_count}
            for r in conn.execute(query)]
