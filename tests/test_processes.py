"""The run command's supervisor: a child that dies is started again; one that keeps dying is not.

Real child processes, no database: the supervisor only starts, watches and stops processes.
"""

from __future__ import annotations

import os
import sys
import time

import pytest

from idiaspora.processes import Child, GaveUp, Supervisor


def _child(code: str) -> Child:
    return Child("worker", [sys.executable, "-c", code], dict(os.environ))


def test_a_child_that_keeps_dying_right_after_starting_makes_the_supervisor_give_up():
    said: list[str] = []
    supervisor = Supervisor([_child("raise SystemExit(3)")], said.append, max_delay=0)
    supervisor.start()
    deadline = time.monotonic() + 120
    with pytest.raises(GaveUp) as gave_up:
        while time.monotonic() < deadline:
            supervisor.check()
            time.sleep(0.05)
    assert "worker stopped 5 times in a row" in str(gave_up.value)
    assert "exit code 3" in str(gave_up.value)
    assert said.count("Starting the worker again.") == 4


def test_a_child_that_dies_is_started_again_and_stopped_with_the_others():
    said: list[str] = []
    child = _child("import time; time.sleep(600)")
    supervisor = Supervisor([child], said.append, max_delay=0)
    supervisor.start()
    first = child.process
    first.kill()
    first.wait()
    deadline = time.monotonic() + 60
    while child.process is first:
        assert time.monotonic() < deadline
        supervisor.check()
        time.sleep(0.05)
    assert child.running
    assert said[0].startswith("The worker stopped (exit code -9); restarting it in")
    supervisor.stop()
    assert not child.running
