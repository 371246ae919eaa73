"""The benchmark harness (`make bench`) compares like with like: the same
rows, the same search results, production's gunicorn command, and ratios
that flag runs with errors. The benchmark itself is not run here."""

import itertools

import pytest

from bench.harness.dataset import ROW_COUNT, SEARCH_TERM, build_rows, search_matches
from bench.harness.load import PATCH_VALUES_PER_THREAD, RunResult, patch_value_base
from bench.harness.report import markdown_tables, summarize
from bench.harness.stacks import ROOT, parse_env_assignments, production_gunicorn_args


def run(stack, rps, statuses=None, p50=10_000, cpu_seconds=None, workers=1):
    return RunResult(
        stack=stack,
        scenario="list",
        workers=workers,
        requests=int(rps * 10),
        seconds=10.0,
        statuses=statuses or {"200": int(rps * 10)},
        socket_errors={"connect": 0, "read": 0, "write": 0, "timeout": 0},
        latency_us={"mean": p50, "p50": p50, "p90": p50, "p99": 2 * p50, "max": 3 * p50},
        server_cpu_seconds=cpu_seconds,
    )


def test_both_stacks_are_loaded_with_the_same_rows_every_run():
    assert build_rows() == build_rows()
    assert len({row["part_number"] for row in build_rows()}) == ROW_COUNT


def test_no_row_is_archived_so_both_lists_show_the_same_rows():
    assert {row["status"] for row in build_rows()} == {"ACTIVE", "DRAFT"}


def test_the_search_term_finds_the_same_realistic_subset_in_both_stacks():
    rows = build_rows()
    matches = search_matches(rows)
    assert matches == sum(SEARCH_TERM in row["name"].lower() for row in rows)
    assert ROW_COUNT * 0.05 < matches < ROW_COUNT * 0.2


def test_no_patch_run_sends_a_value_a_row_already_holds():
    # scenario.lua sends value_base + thread * PATCH_VALUES_PER_THREAD + n,
    # threads numbered from 1, n from 1: each run's values lie above every
    # loaded quantity and apart from every other run's.
    threads = 2
    loaded = max(row["quantity_on_hand"] for row in build_rows())
    bases = [patch_value_base(run_number, threads) for run_number in range(100)]
    ranges = [
        (base + PATCH_VALUES_PER_THREAD, base + (threads + 1) * PATCH_VALUES_PER_THREAD)
        for base in bases
    ]
    assert ranges[0][0] > loaded
    assert all(high <= next_low for (_, high), (next_low, _) in itertools.pairwise(ranges))
    assert ranges[-1][1] <= 2**31 - 1


def test_patch_values_never_pass_a_32_bit_column():
    with pytest.raises(ValueError, match="2\\*\\*31"):
        patch_value_base(10_000, threads=2)


def test_toolsuite_runs_with_the_production_images_gunicorn_command():
    args = production_gunicorn_args(ROOT / "Dockerfile")
    assert "suite.wsgi" in args
    assert not {"--bind", "-b", "--workers", "-w"} & set(args)


def test_the_benchmark_sets_bind_and_workers_itself(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(
        'CMD ["gunicorn", "suite.wsgi", "-b", "0.0.0.0:8000", "--workers=4", "-k", "gthread"]\n'
    )
    assert production_gunicorn_args(dockerfile) == ["suite.wsgi", "-k", "gthread"]


def test_extra_toolsuite_environment_is_read_with_shell_quoting():
    assert parse_env_assignments("THROTTLE_RATE='1000000/second' A=") == {
        "THROTTLE_RATE": "1000000/second",
        "A": "",
    }


def test_ratios_are_the_second_stack_over_the_first():
    summary = summarize(
        [run("seed", 100), run("toolsuite", 150, p50=20_000)], "seed", "toolsuite", {}
    )
    (row,) = summary["rows"]
    assert row["ratio"]["rps"] == 1.5
    assert row["ratio"]["p50"] == 2.0
    assert not row["flagged"]


def test_each_rounds_pair_of_runs_has_its_own_ratio():
    # Rounds alternate A, B, A, B: the machine slowed down between the two.
    summary = summarize(
        [run("seed", 100), run("toolsuite", 120), run("seed", 50), run("toolsuite", 45)],
        "seed",
        "toolsuite",
        {},
    )
    (row,) = summary["rows"]
    assert row["ratio"]["rps_rounds"] == [1.2, 0.9]
    assert row["ratio"]["rps"] == pytest.approx(82.5 / 75)
    assert "| 1 | list | 75 | 82 | 1.10 | 1.20, 0.90 | 10.0 |" in markdown_tables(
        summary, "seed", "toolsuite"
    )


def test_the_workers_busy_share_is_their_cpu_time_over_the_runs_time_per_worker():
    # 10 s runs: one worker computing for 8 s of them; two, for 9 s between them.
    assert run("seed", 100, cpu_seconds=8.0).busy_share == 0.8
    assert run("toolsuite", 150, cpu_seconds=9.0, workers=2).busy_share == 0.45
    summary = summarize(
        [run("seed", 100, cpu_seconds=8.0), run("toolsuite", 150, cpu_seconds=6.0)],
        "seed",
        "toolsuite",
        {},
    )
    table = markdown_tables(summary, "seed", "toolsuite")
    assert "| 1 | list | 8.00 | 4.00 | 0.50 | 80% | 60% |" in table


def test_a_run_with_non_2xx_responses_is_flagged():
    summary = summarize(
        [run("seed", 100), run("toolsuite", 100, statuses={"200": 990, "429": 10})],
        "seed",
        "toolsuite",
        {},
    )
    (row,) = summary["rows"]
    assert row["flagged"]
    assert row["b"]["problems"] == ["10 x 429"]
