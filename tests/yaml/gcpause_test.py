from __future__ import annotations

import gc

from kruise_render.yaml import gcpause


def _cycle() -> None:
    a: list[object] = []
    a.append(a)


def test_paused_restores_the_collector_state() -> None:
    assert gc.isenabled()
    with gcpause.paused():
        assert not gc.isenabled()
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collect_young_frees_cycles_made_while_paused() -> None:
    with gcpause.paused():
        gc.collect()
        with gcpause.collect_young():
            for _ in range(100):
                _cycle()
        assert gc.collect() == 0
        assert gc.get_freeze_count() == 0


def test_resumed_turns_the_collector_on_only_inside() -> None:
    with gcpause.paused():
        with gcpause.resumed():
            assert gc.isenabled()
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    assert gc.isenabled()
