"""The one parser for quantities with units."""

import pytest

from nanvix_exp.config.units import UnitError, format_size, parse_bandwidth, parse_frequency, parse_size, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 KiB", 8192),
        ("8KiB", 8192),
        ("2 MiB", 2 * 1024**2),
        ("64 B", 64),
        ("64", 64),
        (64, 64),
        ("342.8 KB", 342800),
        ("4 kB", 4000),
        ("1 GiB", 1024**3),
        ("0.5 KiB", 512),
        ("-1 MiB", -(1024**2)),
    ],
)
def test_sizes(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["8 KiBs", "eight", "", "1.5 B", "8 Kb/s", True, "1e400 B"])
def test_bad_sizes_say_what_is_allowed(text):
    with pytest.raises(UnitError) as info:
        parse_size(text)
    assert "size" in str(info.value) or "whole number" in str(info.value)


def test_frequency_time_bandwidth():
    assert parse_frequency("400 MHz") == 400e6
    assert parse_frequency("1.2 GHz") == pytest.approx(1.2e9)
    assert parse_time("20 ns") == pytest.approx(20e-9)
    assert parse_time("1.5 ms") == pytest.approx(1.5e-3)
    assert parse_time("3 us") == parse_time("3 µs")
    assert parse_bandwidth("1.6 GB/s") == pytest.approx(1.6e9)
    assert parse_bandwidth("2 MiB/s") == 2 * 1024**2
    with pytest.raises(UnitError, match="MHz"):
        parse_frequency("400 MHZZ")
    with pytest.raises(UnitError):
        parse_time("3 cycles")


def test_format_size_round_trips():
    for n in (64, 4096, 8192, 3 * 1024**2, 1000):
        assert parse_size(format_size(n)) == n
    assert format_size(8192) == "8 KiB"
