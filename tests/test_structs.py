"""k1b struct layouts: sizes the reference states follow from the field lists."""

from nanvix_exp.kernel.structs import CONDVAR, EXIT_VALUE, SYSBOARD, THREAD, uarea


def test_thread_fits_one_cache_line():
    assert THREAD.size == 64
    assert THREAD.offsets["age"] % 8 == 0 and THREAD.offsets["ctx"] + 4 <= 48


def test_uarea_is_about_two_kilobytes_as_the_paper_says():
    area = uarea(thread_max=18, exit_values=32)
    assert CONDVAR.size == 24 and EXIT_VALUE.size == 8
    assert area.offsets["threads"] % 64 == 0
    assert 2070 <= area.size <= 2112  # reference §2.3: 2.07-2.11 KB; the paper: "2 KB"
    assert uarea(thread_max=4, exit_values=32).size < area.size


def test_sysboard_is_cache_line_aligned():
    assert SYSBOARD.size % 64 == 0
