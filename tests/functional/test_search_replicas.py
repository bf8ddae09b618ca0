"""Index replicas on a database of their own (real commits, as between hosts): each
folder keeps its own position; rows are pruned by age once every replica has passed
them; a replica away longer than the retention must rebuild."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from registry.extensions import db
from registry.models import SearchChange, SearchReplica
from registry.models.base import utcnow
from registry.search import changes, replicas, sync
from registry.search.kinds import KINDS, STUDIES
from search_index import storage
from tests.functional.search_support import add, index_dir


def _count_changes() -> int:
    return db.session.scalar(select(func.count(SearchChange.id)))


def _age_all_changes(days: int) -> None:
    db.session.execute(update(SearchChange).values(recorded_at=utcnow() - timedelta(days=days)))
    db.session.commit()


def _sync(root) -> int:
    return sync.sync_pending(db.engine, root)


@pytest.fixture
def second(live_search_app, tmp_path):
    root = tmp_path / "second"
    sync.rebuild(db.engine, root)
    return root


def test_two_folders_are_two_replicas(live_search_app, second):
    first = index_dir(live_search_app)
    assert replicas.replica_id(first) != replicas.replica_id(second)


def test_a_folder_keeps_its_replica_id(second):
    assert replicas.replica_id(second) == replicas.replica_id(second)


def test_every_replica_applies_every_change(live_search_app, second):
    item = add("Gedeelde wijziging")  # the inline sync applies it to the first folder

    _sync(second)

    for root in (index_dir(live_search_app), second):
        with storage.open_current(root).searcher() as searcher:
            assert searcher.document(id=str(item.id)) is not None


def test_old_rows_stay_while_another_replica_has_not_applied_them(live_search_app, second):
    add("Oud")
    _age_all_changes(30)

    _sync(index_dir(live_search_app))

    assert _count_changes() >= 1


def test_old_rows_go_once_every_replica_applied_them(live_search_app, second):
    add("Oud")
    _age_all_changes(30)
    _sync(second)

    _sync(index_dir(live_search_app))

    assert _count_changes() == 0


def test_recent_rows_stay_although_every_replica_applied_them(live_search_app, second):
    add("Recent")
    _sync(second)

    _sync(index_dir(live_search_app))

    assert _count_changes() >= 1


def test_a_replica_away_longer_than_the_retention_must_rebuild(live_search_app, second):
    db.session.execute(
        update(SearchReplica)
        .where(SearchReplica.id == replicas.replica_id(second))
        .values(synced_at=utcnow() - timedelta(days=30))
    )
    db.session.commit()
    _sync(index_dir(live_search_app))  # prunes the register

    with pytest.raises(replicas.ReplicaUnknown):
        _sync(second)


def test_a_rebuilt_replica_syncs_again(live_search_app, second):
    db.session.execute(update(SearchReplica).values(synced_at=utcnow() - timedelta(days=30)))
    db.session.commit()
    _sync(index_dir(live_search_app))
    sync.rebuild(db.engine, second)

    item = add("Na herbouw")

    _sync(second)
    with storage.open_current(second).searcher() as searcher:
        assert searcher.document(id=str(item.id)) is not None


def test_lag_is_the_age_of_the_oldest_change_not_applied(live_search_app, second):
    add("Wacht")
    _age_all_changes(1)

    lag = replicas.lag_seconds(db.session, replicas.replica_id(second))

    assert lag > 3600


def test_lag_is_zero_when_everything_is_applied(live_search_app):
    add("Klaar")
    _sync(index_dir(live_search_app))

    lag = replicas.lag_seconds(db.session, replicas.replica_id(index_dir(live_search_app)))

    assert lag == 0


def _indexed(root, ids) -> list[int]:
    with storage.open_current(root).searcher() as searcher:
        return [i for i in ids if searcher.document(id=str(i)) is not None]


def test_a_sync_writes_many_batches_in_one_index_commit(live_search_app, second, monkeypatch):
    # Each index commit leaves a segment that Whoosh merges again and again: an import
    # of 20,000 studies once cost ten times its own time in those merges.
    monkeypatch.setattr(sync, "BATCH", 2)
    monkeypatch.setattr(sync, "COMMIT_EVERY", 4)
    ids = [add("Partij", number).id for number in range(7)]
    generation = storage.open_current(second).latest_generation()

    applied = _sync(second)

    assert applied >= 7  # a publication can record more than one change
    assert sorted(_indexed(second, ids)) == sorted(ids)
    # Pages of 2, up to 4 changes per commit: half as many commits as pages.
    commits = storage.open_current(second).latest_generation() - generation
    assert commits == -(-applied // 4)
    assert replicas.lag_seconds(db.session, replicas.replica_id(second)) == 0


def test_a_sync_that_fails_midway_marks_nothing_of_the_failed_commit(
        live_search_app, second, monkeypatch):
    monkeypatch.setattr(sync, "BATCH", 2)
    monkeypatch.setattr(sync, "COMMIT_EVERY", 20)  # all in one commit, written 2 at a time
    ids = [add("Halverwege", number).id for number in range(4)]
    monkeypatch.setattr(sync.writing, "put", _failing_put([]))

    with pytest.raises(RuntimeError):
        _sync(second)

    # The first page was in the writer, not committed: neither in the index nor marked.
    assert _indexed(second, ids) == []
    monkeypatch.undo()
    assert _sync(second) >= 4
    assert sorted(_indexed(second, ids)) == sorted(ids)


def _failing_put(calls: list):
    real = sync.writing.put

    def put(writer, documents):
        if calls:
            raise RuntimeError("database gone")
        calls.append(documents)
        return real(writer, documents)

    return put


def test_a_record_changed_in_two_pages_of_one_commit_is_indexed_once(
        live_search_app, second, monkeypatch):
    # Whoosh's update_document replaces committed copies only, not one added earlier to
    # the same writer: the record's changes in two pages once indexed it twice.
    monkeypatch.setattr(sync, "BATCH", 2)
    monkeypatch.setattr(sync, "COMMIT_EVERY", 10)
    item = add("Dubbel")
    _sync(second)
    others = [add("Ander", number).id for number in range(3)]
    sync.enqueue(db.engine, [item.id, *others, item.id])

    _sync(second)

    with storage.open_searcher(second) as searcher:
        assert len(list(searcher.documents(id=str(item.id)))) == 1
    assert not sync.verify(db.engine, second)


def test_a_rebuild_that_dies_right_after_making_its_index_current_loses_nothing(
        live_search_app, second, monkeypatch):
    # While the rebuild fills its folder, the worker applies a new change to the old one
    # and moves the replica's position past it; the rebuild then dies (kill -9) right
    # after its swap. The position must already be back where the new index read.
    real_fill, real_swap = sync._fill, storage.swap_in

    def fill_then_the_worker_syncs(*args, **kwargs):
        count = real_fill(*args, **kwargs)
        add("Nieuwkomer")
        _sync(second)
        return count

    def swap_and_die(root, path):
        real_swap(root, path)
        raise RuntimeError("killed")

    monkeypatch.setattr(sync, "_fill", fill_then_the_worker_syncs)
    monkeypatch.setattr(storage, "swap_in", swap_and_die)
    with pytest.raises(RuntimeError, match="killed"):
        sync.rebuild(db.engine, second)
    monkeypatch.undo()

    _sync(second)

    assert not sync.verify(db.engine, second)


def test_a_parallel_rebuild_of_a_kind_without_records_builds_an_empty_index(
        live_search_app, tmp_path):
    count, _path = sync.rebuild(db.engine, tmp_path / "studies", procs=2, kind=STUDIES)

    assert count == 0
    assert not sync.verify(db.engine, tmp_path / "studies", STUDIES)


def test_changes_of_another_kind_leave_the_index_generation_as_it_was(
        live_search_app, second, monkeypatch):
    # A new generation makes every searching process drop its caches: an import of
    # studies must not make one of the intervention index, which it does not change.
    monkeypatch.setattr(sync, "COMMIT_EVERY", 2)
    monkeypatch.setattr(sync, "BATCH", 2)
    _sync(second)
    changes.record_written(db.session, STUDIES, range(1, 6))
    db.session.commit()
    generation = storage.open_current(second).latest_generation()

    assert _sync(second) == 5

    assert storage.open_current(second).latest_generation() == generation
    assert replicas.lag_seconds(db.session, replicas.replica_id(second)) == 0


def test_a_follow_worker_prunes_the_log_once_a_minute_not_on_every_poll(
        live_search_app, monkeypatch):
    from registry.search import cli

    class Stop(Exception):
        pass

    now, pruned = [0.0], []
    real_prune = replicas.prune
    monkeypatch.setattr(replicas, "prune", lambda *a: pruned.append(1) or real_prune(*a))
    monkeypatch.setattr(cli.time, "monotonic", lambda: now[0])

    def sleep(_seconds):  # each poll 20 s after the one before; the sixth is the last
        now[0] += 20
        if now[0] >= 120:
            raise Stop

    monkeypatch.setattr(cli.time, "sleep", sleep)

    result = live_search_app.test_cli_runner().invoke(args=["index", "sync", "--follow"])

    assert isinstance(result.exception, Stop)
    # Polls at 0, 20, ... 100 s: the first and the one at 60 s prune, for each kind.
    assert len(pruned) == 2 * len(KINDS)
